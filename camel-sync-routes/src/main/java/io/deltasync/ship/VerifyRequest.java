package io.deltasync.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.verify.HubVerifier;
import io.deltasync.verify.KeyRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node asking its hub, in a signed {@link Envelope.Type#VERIFY} envelope, for the checksums of
 * key ranges of a table, for the rows of one range, for one page of rows after a key, or which of
 * some keys the table holds (see {@code io.deltasync.verify.VerifyHub}).
 *
 * <p>JSON: {@code {"op":"checksums","table":"note","ranges":[{"after":null,"upTo":["40"]},…]}},
 * {@code {"op":"rows","table":"note","ranges":[{"after":["40"],"upTo":["80"]}]}}, {@code
 * {"op":"page","table":"note","ranges":[{"after":["80"],"upTo":null}],"limit":1000}} or {@code
 * {"op":"held","table":"note","ranges":[],"keys":[["40"],["41"]]}} (answered {@code
 * {"held":[["40"]]}}); keys are the texts of their values, in primary-key column order.
 *
 * @param op what is asked
 * @param table the table
 * @param ranges the ranges' bounds; exactly one for {@link Op#ROWS}, one without {@code upTo} for
 *     {@link Op#PAGE}, none for {@link Op#HELD}
 * @param limit the most rows of a {@link Op#PAGE}, > 0; 0 for the other ops
 * @param keys for {@link Op#HELD}, 1 to {@link HubVerifier#MAX_KEYS} keys; empty for the others
 */
public record VerifyRequest(
    Op op, String table, List<KeyRange> ranges, int limit, List<List<String>> keys) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a verify request asks for. */
  public enum Op {
    /** The hub's checksums of the ranges. */
    CHECKSUMS,
    /** The hub's rows of the one range. */
    ROWS,
    /** The hub's first rows after the one range's {@code after} key, at most {@code limit}. */
    PAGE,
    /** Which of the keys the hub's table holds. */
    HELD
  }

  /** A request for the checksums of ranges or the rows of one range. */
  public VerifyRequest(Op op, String table, List<KeyRange> ranges) {
    this(op, table, ranges, 0, List.of());
  }

  /** A request for the first {@code limit} rows after the key (null: from the table's start). */
  public static VerifyRequest page(String table, List<String> after, int limit) {
    return new VerifyRequest(
        Op.PAGE, table, List.of(KeyRange.bounds(after, null)), limit, List.of());
  }

  /** A request asking which of the keys the hub's table holds. */
  public static VerifyRequest held(String table, List<List<String>> keys) {
    return new VerifyRequest(Op.HELD, table, List.of(), 0, keys);
  }

  public VerifyRequest {
    Objects.requireNonNull(op, "op");
    if (table == null || table.isBlank() || table.length() > 128) {
      throw new IllegalArgumentException("table must be 1 to 128 characters, but was " + table);
    }
    ranges = List.copyOf(ranges);
    keys = keys == null ? List.of() : keys.stream().map(List::copyOf).toList();
    if (op == Op.HELD) {
      if (!ranges.isEmpty() || keys.isEmpty() || keys.size() > HubVerifier.MAX_KEYS) {
        throw new IllegalArgumentException(
            "HELD needs no range and 1 to "
                + HubVerifier.MAX_KEYS
                + " keys, but had "
                + ranges.size()
                + " ranges and "
                + keys.size()
                + " keys");
      }
    } else {
      check(op, ranges, limit, keys);
    }
  }

  private static void check(Op op, List<KeyRange> ranges, int limit, List<List<String>> keys) {
    if (!keys.isEmpty()) {
      throw new IllegalArgumentException(op + " takes no keys, but had " + keys.size());
    }
    if (ranges.isEmpty() || (op != Op.CHECKSUMS && ranges.size() != 1)) {
      throw new IllegalArgumentException(
          op
              + " needs "
              + (op == Op.CHECKSUMS ? "ranges" : "one range")
              + ", but had "
              + ranges.size());
    }
    if (op == Op.PAGE && (limit <= 0 || ranges.get(0).upTo() != null)) {
      throw new IllegalArgumentException(
          "PAGE needs a limit > 0 and a range with no upTo, but had "
              + limit
              + " and "
              + ranges.get(0));
    }
    if (op != Op.PAGE && limit != 0) {
      throw new IllegalArgumentException(op + " takes no limit, but had " + limit);
    }
  }

  /** The request as JSON. */
  public byte[] encode() {
    ObjectNode root = JSON.createObjectNode();
    root.put("op", op.name().toLowerCase(java.util.Locale.ROOT));
    root.put("table", table);
    ArrayNode array = root.putArray("ranges");
    ranges.forEach(range -> VerifyJson.bounds(array.addObject(), range));
    if (op == Op.PAGE) {
      root.put("limit", limit);
    }
    if (op == Op.HELD) {
      LoadRequest.putKeys(root, keys);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("could not write a verify request", e);
    }
  }

  /** Decodes a request; throws {@link ShipException} (MALFORMED) naming what is wrong. */
  public static VerifyRequest decode(byte[] json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || !node.path("ranges").isArray() || !node.path("table").isTextual()) {
        throw new IllegalArgumentException(
            "expected {\"op\":\"checksums\"|\"rows\"|\"page\"|\"held\",\"table\":…,"
                + "\"ranges\":[…]}");
      }
      Op op = Op.valueOf(node.path("op").asText("").toUpperCase(java.util.Locale.ROOT));
      List<KeyRange> ranges = new ArrayList<>();
      for (JsonNode range : node.get("ranges")) {
        ranges.add(VerifyJson.range(range));
      }
      return new VerifyRequest(
          op,
          node.get("table").asText(),
          ranges,
          node.path("limit").asInt(0),
          op == Op.HELD ? LoadRequest.keys(node.get("keys")) : null);
    } catch (IOException | IllegalArgumentException e) {
      throw new ShipException(
          ShipException.Reason.MALFORMED, "malformed verify request: " + e.getMessage(), e);
    }
  }
}
