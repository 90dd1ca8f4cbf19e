package io.deltasync.ship;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.load.LoadException;
import io.deltasync.load.LoadSource;
import io.deltasync.load.LoadStart;
import io.deltasync.load.ReverseChunk;
import io.deltasync.load.ReverseResult;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A hub's load endpoint as one client reaches it, whatever carries the messages: each call seals a
 * signed {@link LoadRequest} for the hub, hands it to {@link #send}, and opens the hub's answer
 * ({@link LoadAnswers}). Thread-safe when {@link #send} is.
 */
abstract class SealedLoadSource implements LoadSource {

  private final String hubId;
  private final String clientId;
  private final byte[] secret;
  private final PeerSecrets hubSecret;

  /**
   * The hub's answer to one request.
   *
   * @param status 200, or the status of the hub's refusal
   * @param body the sealed answer, or the refusal's text
   */
  record Answer(int status, byte[] body) {}

  SealedLoadSource(String hubId, String clientId, String secret) {
    this.hubId = Delta.requireNodeId(hubId, "hubId");
    this.clientId = Delta.requireNodeId(clientId, "clientId");
    this.secret = secret.getBytes(UTF_8);
    this.hubSecret = PeerSecrets.of(Map.of(hubId, secret));
  }

  /**
   * Carries one sealed request to the hub and brings back its answer or refusal.
   *
   * @throws io.deltasync.load.LoadException when the hub cannot be reached
   */
  abstract Answer send(byte[] sealed, String requestId);

  @Override
  public String nodeId() {
    return hubId;
  }

  /** This node's id. */
  String clientId() {
    return clientId;
  }

  @Override
  public LoadStart open(String requester, List<String> tables) {
    return LoadJson.decodeStart(ask(requester, LoadRequest.open(tables)));
  }

  @Override
  public List<Row> chunk(
      String requester, String loadId, String table, List<String> after, int limit) {
    return LoadJson.decodeRows(ask(requester, LoadRequest.chunk(loadId, table, after, limit)));
  }

  @Override
  public Set<List<String>> held(
      String requester, String loadId, String table, List<List<String>> keys) {
    return LoadJson.decodeHeld(ask(requester, LoadRequest.held(loadId, table, keys)));
  }

  @Override
  public void close(String requester, String loadId) {
    ask(requester, LoadRequest.close(loadId));
  }

  @Override
  public ReverseResult reverse(String requester, ReverseChunk chunk) {
    return LoadJson.decodeReverse(ask(requester, LoadRequest.reverse(chunk)));
  }

  /**
   * Which table reloads the hub asks of this node (entries {@code <id>:<table>}, as the hub wrote
   * them), reporting how those it asked before ended; the answer is signed by the hub for this very
   * request.
   */
  List<String> tableReloads(List<PullRequest.TableReloadEnd> ends) {
    byte[] answer = ask(clientId, LoadRequest.tableReloads(ends));
    try {
      return LoadJson.decodeTableReloads(answer);
    } catch (IllegalArgumentException e) {
      throw new LoadException(hubId + "'s answer to a table reloads request: " + e.getMessage(), e);
    }
  }

  /**
   * Carries a verify request to the hub the way this source carries its load requests, and returns
   * the payload of the hub's signed answer (see {@link RouteVerifyHub}).
   */
  byte[] verify(VerifyRequest request) {
    String id = DeltaIds.next();
    Envelope envelope =
        Envelope.owning(Envelope.Type.VERIFY, clientId, hubId, id, request.encode());
    Answer answer = send(Envelopes.seal(envelope, secret), id);
    return LoadAnswers.open(
        hubId,
        clientId,
        hubSecret,
        id,
        Envelope.Type.VERIFY,
        "a verify request for " + request.table(),
        answer.status(),
        answer.body());
  }

  private byte[] ask(String requester, LoadRequest request) {
    if (!requester.equals(clientId)) {
      throw new IllegalArgumentException(
          "this hub connection loads for " + clientId + ", but " + requester + " asked");
    }
    String id = DeltaIds.next();
    Envelope envelope = Envelope.owning(Envelope.Type.LOAD, clientId, hubId, id, request.encode());
    Answer answer = send(Envelopes.seal(envelope, secret), id);
    return LoadAnswers.open(
        hubId, clientId, hubSecret, id, request, answer.status(), answer.body());
  }
}
