package io.deltasync.ship;

import java.io.IOException;
import java.util.function.Supplier;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * Lets a {@code deltasync:pull} consumer abort the HTTP request it has in flight when it is
 * suspended or stopped, so that stopping a client does not wait for a pull its peer holds (up to
 * {@code wait}). Installed as camel-http's client configurer on the {@code http} and {@code https}
 * components (the auto-configuration does it), after the configurer set before, if any.
 *
 * <p>Only a request sent on a pull consumer's thread while it pulls can be aborted; every other
 * request goes through untouched. The aborted pull fails, and the consumer, which is stopping,
 * ignores it: the peer's deltas it may have carried are asked for again from the same pointer.
 * Thread-safe.
 */
public final class PullAbort implements HttpClientConfigurer {

  private static final ThreadLocal<InFlight> PULLING = new ThreadLocal<>();

  private final HttpClientConfigurer before;

  /**
   * @param before the configurer the component had, applied first, or null
   */
  public PullAbort(HttpClientConfigurer before) {
    this.before = before;
  }

  @Override
  public void configureHttpClient(HttpClientBuilder builder) {
    if (before != null) {
      before.configureHttpClient(builder);
    }
    builder.addExecInterceptorFirst("deltasync-pull-abort", PullAbort::execute);
  }

  private static ClassicHttpResponse execute(
      ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
      throws IOException, HttpException {
    InFlight pull = PULLING.get();
    if (pull != null && scope.originalRequest instanceof Cancellable cancellable) {
      pull.sending(cancellable);
    }
    return chain.proceed(request, scope);
  }

  /** One pull consumer's request in flight: abort ends it, and any it sends until reset. */
  static final class InFlight {

    private Cancellable request;
    private boolean aborted;

    /** Runs the send on this thread with its HTTP request abortable. */
    <T> T around(Supplier<T> send) {
      PULLING.set(this);
      try {
        return send.get();
      } finally {
        PULLING.remove();
        synchronized (this) {
          request = null;
        }
      }
    }

    synchronized void sending(Cancellable request) {
      if (aborted) {
        request.cancel();
      } else {
        this.request = request;
      }
    }

    /** Aborts the request in flight, and any sent after, until {@link #reset}. */
    synchronized void abort() {
      aborted = true;
      if (request != null) {
        request.cancel();
        request = null;
      }
    }

    /** Whether {@link #abort} was called since the last {@link #reset}. */
    synchronized boolean aborted() {
      return aborted;
    }

    synchronized void reset() {
      aborted = false;
    }
  }
}
