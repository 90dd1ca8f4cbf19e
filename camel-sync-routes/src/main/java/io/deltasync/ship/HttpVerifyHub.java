package io.deltasync.ship;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.verify.VerifyException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * A hub's verify endpoint as one client calls it over HTTP: each call posts a signed {@link
 * VerifyRequest} to {@code <baseUrl>/deltasync/verify} and opens the hub's signed answer, so a
 * {@code Verifier} on the client compares with the hub, repairs and reloads tables from it over the
 * network.
 *
 * <pre>{@code
 * VerifyHub hub = new HttpVerifyHub("hub", "https://hub.example:8443", "node-a", secret);
 * Verifier verifier = new Verifier(dataSource, "node-a", replicated, hub,
 *     CatchUp.awaiting(store, "hub", Duration.ofMinutes(1)));
 * }</pre>
 *
 * A refusal (status 400 or 401: unknown table, no primary key, bad signature, unknown sender) and
 * an unreachable hub throw a {@link VerifyException} naming the status and the hub's message.
 * Thread-safe.
 */
public final class HttpVerifyHub extends SealedVerifyHub {

  private final String hubId;
  private final String clientId;
  private final EnvelopePost hub;
  private final byte[] secret;
  private final PeerSecrets hubSecret;

  /**
   * @param hubId the hub's node id
   * @param baseUrl the hub's base URL, e.g. {@code https://hub.example:8443}
   * @param clientId this node's id
   * @param secret the secret this node and the hub share ({@code
   *     deltasync.ship.peers.<hub>.secret})
   */
  public HttpVerifyHub(String hubId, String baseUrl, String clientId, String secret) {
    super(Delta.requireNodeId(hubId, "hubId"), Delta.requireNodeId(clientId, "clientId"));
    this.hubId = hubId;
    this.clientId = clientId;
    this.hub = new EnvelopePost(baseUrl, "deltasync/verify");
    this.secret = secret.getBytes(UTF_8);
    this.hubSecret = PeerSecrets.of(Map.of(hubId, secret));
  }

  @Override
  byte[] ask(VerifyRequest request) {
    String id = DeltaIds.next();
    Envelope envelope =
        Envelope.owning(Envelope.Type.VERIFY, clientId, hubId, id, request.encode());
    HttpResponse<byte[]> response;
    try {
      response = hub.post(Envelopes.seal(envelope, secret));
    } catch (IOException e) {
      throw new VerifyException("could not reach " + hub.url() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VerifyException("interrupted while asking " + hub.url(), e);
    }
    if (response.statusCode() != 200) {
      throw new VerifyException(
          hubId
              + " answered "
              + response.statusCode()
              + " to a verify request for "
              + request.table()
              + " from "
              + clientId
              + ": "
              + new String(response.body(), UTF_8));
    }
    Envelope answer;
    try {
      answer = Envelopes.open(response.body(), hubSecret, clientId, ShipLimits.DEFAULT);
    } catch (ShipException e) {
      throw new VerifyException(
          "could not open " + hubId + "'s verify answer: " + e.getMessage(), e);
    }
    if (answer.type() != Envelope.Type.VERIFY
        || !answer.sender().equals(hubId)
        || !answer.id().equals(id)) {
      throw new VerifyException(
          "asked " + hubId + " to verify with request " + id + ", but got " + answer);
    }
    return answer.payloadView();
  }
}
