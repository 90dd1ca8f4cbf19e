package io.deltasync.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.delta.Delta;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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
 * @param tableReloads how the table reloads the peer asked of the puller ended since its last pull
 *     (see {@link TableReloadsAsked}), at most {@link #MAX_TABLE_RELOADS}
 */
public record PullRequest(
    long afterSeq,
    int limit,
    long waitMillis,
    String incarnation,
    List<TableReloadEnd> tableReloads) {

  /** The most table reload outcomes one pull reports. */
  public static final int MAX_TABLE_RELOADS = 100;

  /**
   * How a table reload the peer asked for ended on the puller.
   *
   * @param id the request's id, as the peer named it
   * @param error null when the table was reloaded, else why not (at most {@link #ERROR_CHARS})
   */
  public record TableReloadEnd(String id, String error) {

    /** The longest error a puller reports. */
    public static final int ERROR_CHARS = 1000;

    public TableReloadEnd {
      Delta.requireToken(id, "table reload id");
      if (error != null && error.length() > ERROR_CHARS) {
        error = error.substring(0, ERROR_CHARS - 3) + "...";
      }
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  public PullRequest {
    tableReloads = List.copyOf(tableReloads == null ? List.of() : tableReloads);
    if (tableReloads.size() > MAX_TABLE_RELOADS) {
      throw new IllegalArgumentException(
          "at most "
              + MAX_TABLE_RELOADS
              + " table reload outcomes per pull, but there were "
              + tableReloads.size());
    }
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

  /** A request that reports no table reload. */
  public PullRequest(long afterSeq, int limit, long waitMillis, String incarnation) {
    this(afterSeq, limit, waitMillis, incarnation, List.of());
  }

  /** A request to be answered at once that does not name the peer's incarnation. */
  public PullRequest(long afterSeq, int limit) {
    this(afterSeq, limit, 0, null);
  }

  /**
   * {@code {"afterSeq":…,"limit":…}}, with {@code "wait":…} when it asks to be held, then {@code
   * "incarnation":…} (an id or null) if named, then {@code "tableReloads":[{"id":…,"error":…},…]}
   * if it reports any.
   */
  public byte[] encode() {
    ObjectNode json = JSON.createObjectNode();
    json.put("afterSeq", afterSeq);
    json.put("limit", limit);
    if (waitMillis > 0) {
      json.put("wait", waitMillis);
    }
    if (incarnation != null) {
      json.put("incarnation", incarnation.isEmpty() ? null : incarnation);
    }
    if (!tableReloads.isEmpty()) {
      putEnds(json, tableReloads);
    }
    try {
      return JSON.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException("could not encode a pull request", e);
    }
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
          incarnation,
          ends(node.get("tableReloads"), "pull request"));
    } catch (IOException | IllegalArgumentException e) {
      throw new ShipException(
          ShipException.Reason.MALFORMED, "malformed pull request: " + e.getMessage(), e);
    }
  }

  /** Writes {@code "tableReloads":[{"id":…,"error":…},…]}. */
  static void putEnds(ObjectNode json, List<TableReloadEnd> ends) {
    ArrayNode array = json.putArray("tableReloads");
    for (TableReloadEnd end : ends) {
      array.addObject().put("id", end.id()).put("error", end.error());
    }
  }

  /**
   * Reads {@link #putEnds}' array (null: none); throws {@link ShipException} (MALFORMED) naming
   * what is wrong, in a {@code what} (a pull request, a load request).
   */
  static List<TableReloadEnd> ends(JsonNode ends, String what) {
    if (ends == null) {
      return List.of();
    }
    if (!ends.isArray() || ends.size() > MAX_TABLE_RELOADS) {
      throw new ShipException(
          ShipException.Reason.MALFORMED,
          "malformed "
              + what
              + ": tableReloads must be an array of at most "
              + MAX_TABLE_RELOADS
              + " {\"id\":<id>,\"error\":<text or null>}");
    }
    List<TableReloadEnd> read = new ArrayList<>(ends.size());
    for (JsonNode end : ends) {
      JsonNode error = end.path("error");
      if (!end.path("id").isTextual()
          || !(error.isNull() || error.isMissingNode() || error.isTextual())
          || (error.isTextual() && error.asText().length() > TableReloadEnd.ERROR_CHARS)) {
        throw new ShipException(
            ShipException.Reason.MALFORMED,
            "malformed "
                + what
                + ": each of tableReloads must be {\"id\":<id>,\"error\":<text of at most "
                + TableReloadEnd.ERROR_CHARS
                + " characters, or null>}");
      }
      read.add(
          new TableReloadEnd(end.get("id").asText(), error.isTextual() ? error.asText() : null));
    }
    return read;
  }
}
