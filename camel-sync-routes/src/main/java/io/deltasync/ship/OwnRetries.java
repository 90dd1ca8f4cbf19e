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
 * Leaves the retries of DeltaSync's own requests (those that carry {@link ShipHeaders#SENDER}) to
 * DeltaSync: its consumers back off exponentially and log the first failure of a run, so
 * HttpClient's automatic re-execution of a 503 after a second only doubled the hub's work and wrote
 * an INFO line for every attempt ({@code request will be automatically re-executed}). Every other
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

  /** Whether the request is one of DeltaSync's, which DeltaSync retries itself. */
  static boolean ours(HttpRequest request) {
    return request != null && request.containsHeader(ShipHeaders.SENDER);
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
