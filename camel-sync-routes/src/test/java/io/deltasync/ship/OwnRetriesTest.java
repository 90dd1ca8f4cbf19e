package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A server on loopback that answers every request 503: who is sent again by HttpClient. */
class OwnRetriesTest {

  private final AtomicInteger received = new AtomicInteger();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          received.incrementAndGet();
          exchange.getResponseHeaders().add("Retry-After", "0");
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aPushedBatchIsSentOnceAndPullsAndTheApplicationsRequestsKeepHttpClientsRetry()
      throws Exception {
    HttpClientBuilder builder = HttpClientBuilder.create();
    new OwnRetries(null).configureHttpClient(builder);
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/deltasync/";
    try (CloseableHttpClient client = builder.build()) {
      HttpPost push = new HttpPost(url + "batches");
      push.setHeader(ShipHeaders.SENDER, "node-a");
      push.setHeader(ShipHeaders.DELTA_COUNT, "3");
      int pushCode = client.execute(push, response -> response.getCode());
      int pushSent = received.getAndSet(0);
      HttpPost pull = new HttpPost(url + "feed");
      pull.setHeader(ShipHeaders.SENDER, "node-a");
      client.execute(pull, response -> response.getCode());
      int pullSent = received.getAndSet(0);

      int theirsCode = client.execute(new HttpPost(url + "other"), response -> response.getCode());

      assertThat(pushCode).isEqualTo(503);
      assertThat(pushSent).isOne();
      assertThat(pullSent).isEqualTo(2); // HttpClient's default: one retry of a 503
      assertThat(theirsCode).isEqualTo(503);
      assertThat(received.get()).isEqualTo(2);
    }
  }

  @Test
  void whatTheApplicationsOwnConfigurerSetsWins() throws Exception {
    HttpClientBuilder builder = HttpClientBuilder.create();
    new OwnRetries(b -> b.disableAutomaticRetries()).configureHttpClient(builder);
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/other";
    try (CloseableHttpClient client = builder.build()) {
      client.execute(new HttpPost(url), response -> response.getCode());
    }

    assertThat(received.get()).isOne();
  }
}
