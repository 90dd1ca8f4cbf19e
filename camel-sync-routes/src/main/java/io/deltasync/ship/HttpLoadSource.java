package io.deltasync.ship;

import io.deltasync.load.LoadException;
import java.io.IOException;
import java.net.http.HttpResponse;

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

  private final EnvelopePost hub;

  /**
   * @param hubId the hub's node id
   * @param baseUrl the hub's base URL, e.g. {@code https://hub.example:8443}
   * @param clientId this node's id
   * @param secret the secret this node and the hub share ({@code
   *     deltasync.ship.peers.<hub>.secret})
   */
  public HttpLoadSource(String hubId, String baseUrl, String clientId, String secret) {
    super(hubId, clientId, secret);
    this.hub = new EnvelopePost(baseUrl, "deltasync/load");
  }

  @Override
  Answer send(byte[] sealed, String requestId) {
    try {
      HttpResponse<byte[]> response = hub.post(sealed);
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new LoadException("could not reach " + hub.url() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoadException("interrupted while asking " + hub.url(), e);
    }
  }
}
