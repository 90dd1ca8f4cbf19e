package io.deltasync.ship;

import io.deltasync.verify.HubChecksums;
import io.deltasync.verify.HubRows;
import io.deltasync.verify.KeyRange;
import io.deltasync.verify.VerifyException;
import io.deltasync.verify.VerifyHub;
import java.util.List;
import java.util.Set;

/**
 * A hub's verify endpoint as one client reaches it, whatever carries the messages: each call asks
 * with a signed {@link VerifyRequest} ({@link #ask}) and reads the payload of the hub's signed
 * answer. Thread-safe when {@link #ask} is.
 */
abstract class SealedVerifyHub implements VerifyHub {

  private final String hubId;
  private final String clientId;

  SealedVerifyHub(String hubId, String clientId) {
    this.hubId = hubId;
    this.clientId = clientId;
  }

  /**
   * Carries one request to the hub and returns the payload of its answer, opened and checked to be
   * the hub's answer to this very request.
   *
   * @throws VerifyException on a refusal (naming the status and the hub's words), an unreachable
   *     hub, or an answer that does not open
   */
  abstract byte[] ask(VerifyRequest request);

  @Override
  public String nodeId() {
    return hubId;
  }

  @Override
  public HubChecksums checksums(String requester, String table, List<KeyRange> ranges) {
    return VerifyJson.decodeChecksums(
        ask(requester, new VerifyRequest(VerifyRequest.Op.CHECKSUMS, table, ranges)));
  }

  @Override
  public HubRows rows(String requester, String table, KeyRange range) {
    return VerifyJson.decodeRows(
        ask(requester, new VerifyRequest(VerifyRequest.Op.ROWS, table, List.of(range))));
  }

  @Override
  public HubRows page(String requester, String table, List<String> after, int limit) {
    return VerifyJson.decodeRows(ask(requester, VerifyRequest.page(table, after, limit)));
  }

  @Override
  public Set<List<String>> held(String requester, String table, List<List<String>> keys) {
    byte[] answer = ask(requester, VerifyRequest.held(table, keys));
    try {
      return LoadJson.decodeHeld(answer);
    } catch (IllegalArgumentException e) {
      throw new VerifyException(hubId + "'s answer to a held request: " + e.getMessage(), e);
    }
  }

  private byte[] ask(String requester, VerifyRequest request) {
    if (!requester.equals(clientId)) {
      throw new IllegalArgumentException(
          "this hub connection verifies for " + clientId + ", but " + requester + " asked");
    }
    return ask(request);
  }
}
