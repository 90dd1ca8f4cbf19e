package io.deltasync.ship;

import io.deltasync.load.LoadException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A hub's load endpoint as one client calls it over HTTP: each call posts a signed {@link
 * LoadRequest} to {@code <baseUrl>/deltasync/load} and opens the hub's signed answer, so a {@code
 * Loader} on the client copies the hub's snapshot over the network.
 *
 * <pre>{@code
 * LoadSource hub = new HttpLoadSource("hub", "https://hub.example:8443", "node-c", secret);
 * new Loader(dataSource, "node-c", replicated, hub, 1_000).run();
 * }</pre>
 *
 * Status 410 (the hub no longer holds the snapshot) throws {@link
 * io.deltasync.load.LoadSessionLostException}; any other refusal (400, 401) and an unreachable hub
 * throw a {@link LoadException} naming the status and the hub's message. Thread-safe.
 */
public final class HttpLoadSource extends SealedLoadSource {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final URI url;
  private final HttpClient http;

  /**
   * @param hubId the hub's node id
   * @param baseUrl the hub's base URL, e.g. {@code https://hub.example:8443}
   * @param clientId this node's id
   * @param secret the secret this node and the hub share ({@code
   *     deltasync.ship.peers.<hub>.secret})
   */
  public HttpLoadSource(String hubId, String baseUrl, String clientId, String secret) {
    super(hubId, clientId, secret);
    this.url =
        URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/").resolve("deltasync/load");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
  }

  @Override
  Answer send(byte[] sealed, String requestId) {
    HttpRequest post =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", Envelopes.CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(sealed))
            .build();
    try {
      HttpResponse<byte[]> response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new LoadException("could not reach " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoadException("interrupted while asking " + url, e);
    }
  }
}
