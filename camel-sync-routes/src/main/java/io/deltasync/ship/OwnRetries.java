package io.deltasync.ship;

import java.io.IOException;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * Leaves the retries of the batches DeltaSync pushes (requests that carry {@link
 * ShipHeaders#DELTA_COUNT}) to DeltaSync: a hub answers 503 for a batch whose delta failed, which
 * fails again at every attempt until an operator acts, and the outbox backs off exponentially and
 * logs the first failure of a run; HttpClient's automatic re-execution of a 503 a second later only
 * doubled the hub's work and wrote an INFO line per attempt ({@code request will be automatically
 * re-executed}). Pulls keep it: a 503 there is a hub's feed route stopping or starting, over in a
 * moment, and a client that polls seldom would otherwise wait its whole backoff. Every other
 * request of the application keeps HttpClient's default retries. Installed as camel-http's client
 * configurer by the auto-configuration, before the configurer set before, if any, so a retry
 * strategy that one sets wins. Thread-safe.
 */
public final class OwnRetries implements HttpClientConfigurer {

  private static final HttpRequestRetryStrategy DEFAULT = DefaultHttpRequestRetryStrategy.INSTANCE;

  private final HttpClientConfigurer before;

  /**
   * @param before the configurer the component had, applied after this one, or null
   */
  public OwnRetries(HttpClientConfigurer before) {
    this.before = before;
  }

  @Override
  public void configureHttpClient(HttpClientBuilder builder) {
    builder.setRetryStrategy(new Strategy());
    if (before != null) {
      before.configureHttpClient(builder);
    }
  }

  /** Whether the request is a batch DeltaSync pushes, which DeltaSync retries itself. */
  static boolean ours(HttpRequest request) {
    return request != null
        && request.containsHeader(ShipHeaders.SENDER)
        && request.containsHeader(ShipHeaders.DELTA_COUNT);
  }

  private static final class Strategy implements HttpRequestRetryStrategy {

    @Override
    public boolean retryRequest(
        HttpRequest request, IOException exception, int execCount, HttpContext context) {
      return !ours(request) && DEFAULT.retryRequest(request, exception, execCount, context);
    }

    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
      return !ours(HttpClientContext.castOrCreate(context).getRequest())
          && DEFAULT.retryRequest(response, execCount, context);
    }

    @Override
    public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
      return DEFAULT.getRetryInterval(response, execCount, context);
    }
  }
}
