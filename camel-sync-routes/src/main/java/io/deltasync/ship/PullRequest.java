package io.deltasync.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A puller asking for its peer's deltas after a seq; asking acknowledges everything up to it.
 *
 * @param afterSeq the peer's seq the puller has processed up to
 * @param limit the most deltas it wants in the answer
 * @param waitMillis how long the peer may hold the request while it has nothing new for the puller
 *     (a long poll; the peer caps it), 0 to be answered at once
 */
public record PullRequest(long afterSeq, int limit, long waitMillis) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public PullRequest {
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be >= 0, but was " + afterSeq);
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0, but was " + limit);
    }
    if (waitMillis < 0) {
      throw new IllegalArgumentException("waitMillis must be >= 0, but was " + waitMillis);
    }
  }

  /** A request to be answered at once. */
  public PullRequest(long afterSeq, int limit) {
    this(afterSeq, limit, 0);
  }

  /** {@code {"afterSeq":…,"limit":…}}, with {@code "wait":…} when it asks to be held. */
  public byte[] encode() {
    return ("{\"afterSeq\":"
            + afterSeq
            + ",\"limit\":"
            + limit
            + (waitMillis > 0 ? ",\"wait\":" + waitMillis : "")
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes a request; throws {@link ShipException} (MALFORMED) naming what is wrong. */
  public static PullRequest decode(byte[] json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null
          || !node.path("afterSeq").canConvertToLong()
          || !node.path("limit").canConvertToInt()
          || (node.has("wait") && !node.path("wait").canConvertToLong())) {
        throw new ShipException(
            ShipException.Reason.MALFORMED,
            "malformed pull request: expected"
                + " {\"afterSeq\":<seq>,\"limit\":<count>[,\"wait\":<milliseconds>]}");
      }
      return new PullRequest(
          node.get("afterSeq").asLong(), node.get("limit").asInt(), node.path("wait").asLong(0));
    } catch (IOException | IllegalArgumentException e) {
      throw new ShipException(
          ShipException.Reason.MALFORMED, "malformed pull request: " + e.getMessage(), e);
    }
  }
}
