package io.deltasync.ship.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.apply.ApplyResult;
import io.deltasync.apply.OutOfOrderBatchException;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaIds;
import io.deltasync.node.SyncPeer;
import io.deltasync.ship.Envelope;
import io.deltasync.ship.Envelopes;
import io.deltasync.ship.PeerSecrets;
import io.deltasync.ship.PullRequest;
import io.deltasync.ship.ShipHeaders;
import io.deltasync.ship.ShipLimits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A hub as one client sees it over HTTP: {@link #receive} seals the client's batch in a signed
 * envelope and posts it to {@code /deltasync/batches}, {@link #fetch} posts a signed pull request
 * to {@code /deltasync/feed} and opens the signed answer. So {@code client.push(peer)} and {@code
 * client.pull(peer)} of a {@code SyncNode} drive the hub's real endpoints, at the moments a test
 * chooses, instead of the client's polling routes.
 *
 * <p>Refusals map to what {@code SyncNode} expects of a peer: 409 to {@link
 * OutOfOrderBatchException} carrying the hub's {@code DeltaSyncLastProcessed}; any other status
 * that is not 200 to an {@link IllegalStateException} naming the status and the hub's message.
 * Serves one client: envelopes are signed with the secret that client and the hub share.
 * Thread-safe.
 */
public final class HttpPeer implements SyncPeer {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String hubId;
  private final String clientId;
  private final URI base;
  private final byte[] secret;
  private final PeerSecrets hubSecret;
  private final HttpClient http;

  /**
   * @param hubId the hub's node id
   * @param baseUrl the hub's base URL, e.g. {@code http://localhost:8080}
   * @param clientId the node id of the client that uses this peer
   * @param secret the secret that client and the hub share
   */
  public HttpPeer(String hubId, String baseUrl, String clientId, String secret) {
    this.hubId = hubId;
    this.clientId = clientId;
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.secret = secret.getBytes(UTF_8);
    this.hubSecret = PeerSecrets.of(Map.of(hubId, secret));
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
  }

  @Override
  public String nodeId() {
    return hubId;
  }

  @Override
  public ApplyResult receive(DeltaBatch batch) {
    if (!batch.sender().equals(clientId)) {
      throw new IllegalArgumentException(
          "this peer sends for " + clientId + ", but the batch is from " + batch.sender());
    }
    Envelope envelope =
        new Envelope(
            Envelope.Type.BATCH, clientId, hubId, batch.batchId(), DeltaCodec.encodeBatch(batch));
    HttpResponse<byte[]> response = post("deltasync/batches", envelope);
    if (response.statusCode() == 409) {
      long lastProcessed =
          response
              .headers()
              .firstValue(ShipHeaders.LAST_PROCESSED)
              .map(Long::parseLong)
              .orElseThrow(() -> refused("batch " + batch.batchId(), response));
      throw new OutOfOrderBatchException(text(response), lastProcessed);
    }
    if (response.statusCode() != 200) {
      throw refused("batch " + batch.batchId(), response);
    }
    return acknowledgement(response.body());
  }

  @Override
  public DeltaBatch fetch(String requester, long afterSeq, int limit) {
    return fetch(requester, afterSeq, limit, 0);
  }

  /** A pull that asks the hub to hold it up to {@code waitMillis} while it has nothing new. */
  public DeltaBatch fetch(String requester, long afterSeq, int limit, long waitMillis) {
    if (!requester.equals(clientId)) {
      throw new IllegalArgumentException(
          "this peer pulls for " + clientId + ", but " + requester + " asked");
    }
    Envelope request =
        new Envelope(
            Envelope.Type.PULL,
            clientId,
            hubId,
            DeltaIds.next(),
            new PullRequest(afterSeq, limit, waitMillis, null).encode());
    HttpResponse<byte[]> response = post("deltasync/feed", request);
    if (response.statusCode() != 200) {
      throw refused("pull after seq " + afterSeq, response);
    }
    Envelope answer = Envelopes.open(response.body(), hubSecret, clientId, ShipLimits.DEFAULT);
    DeltaBatch batch = DeltaCodec.decodeBatch(answer.payload());
    if (!batch.sender().equals(hubId) || batch.afterSeq() != afterSeq) {
      throw new IllegalStateException(
          "asked "
              + hubId
              + " for deltas after seq "
              + afterSeq
              + ", but got a batch from "
              + batch.sender()
              + " after seq "
              + batch.afterSeq());
    }
    return batch;
  }

  private HttpResponse<byte[]> post(String path, Envelope envelope) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .header("Content-Type", Envelopes.CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(Envelopes.seal(envelope, secret)))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("could not reach " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while posting to " + request.uri(), e);
    }
  }

  private IllegalStateException refused(String what, HttpResponse<byte[]> response) {
    return new IllegalStateException(
        hubId
            + " answered "
            + response.statusCode()
            + " to "
            + what
            + " from "
            + clientId
            + ": "
            + text(response));
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), UTF_8);
  }

  private static ApplyResult acknowledgement(byte[] body) {
    try {
      JsonNode ack = JSON.readTree(body);
      return new ApplyResult(
          ack.path("receiver").asText(),
          ack.path("sender").asText(),
          ack.path("batchId").asText(),
          ack.path("applied").asInt(),
          ack.path("skipped").asInt(),
          ack.path("quarantined").asInt(),
          ack.path("lastProcessed").asLong(),
          ack.path("conflicts").asInt());
    } catch (IOException e) {
      throw new IllegalStateException(
          "the acknowledgement is not JSON: " + new String(body, UTF_8), e);
    }
  }
}
