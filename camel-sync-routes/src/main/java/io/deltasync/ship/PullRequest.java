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
 * @param incarnation the peer's incarnation that {@code afterSeq} counts in, as the puller knows
 *     it: an id, {@code ""} when it knows none, or null for a puller that does not name one (before
 *     batch format 2, so it is answered in format 1)
 */
public record PullRequest(long afterSeq, int limit, long waitMillis, String incarnation) {

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

  /** A request to be answered at once that does not name the peer's incarnation. */
  public PullRequest(long afterSeq, int limit) {
    this(afterSeq, limit, 0, null);
  }

  /**
   * {@code {"afterSeq":…,"limit":…}}, with {@code "wait":…} when it asks to be held, then {@code
   * "incarnation":…} (an id or null) if named.
   */
  public byte[] encode() {
    String held = waitMillis > 0 ? ",\"wait\":" + waitMillis : "";
    String named =
        incarnation == null
            ? ""
            : ",\"incarnation\":" + (incarnation.isEmpty() ? "null" : "\"" + incarnation + "\"");
    return ("{\"afterSeq\":" + afterSeq + ",\"limit\":" + limit + held + named + "}")
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
      String incarnation = null;
      if (node.has("incarnation")) {
        JsonNode named = node.get("incarnation");
        if (!named.isNull() && (!named.isTextual() || named.asText().length() > 36)) {
          throw new ShipException(
              ShipException.Reason.MALFORMED,
              "malformed pull request: incarnation must be an id of at most 36 characters or"
                  + " null");
        }
        incarnation = named.isNull() ? "" : named.asText();
      }
      return new PullRequest(
          node.get("afterSeq").asLong(),
          node.get("limit").asInt(),
          node.path("wait").asLong(0),
          incarnation);
    } catch (IOException | IllegalArgumentException e) {
      throw new ShipException(
          ShipException.Reason.MALFORMED, "malformed pull request: " + e.getMessage(), e);
    }
  }
}
