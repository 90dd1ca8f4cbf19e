package io.deltasync.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.verify.KeyRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node asking its hub, in a signed {@link Envelope.Type#VERIFY} envelope, for the checksums of
 * key ranges of a table, for the rows of one range, or for one page of rows after a key (see {@code
 * io.deltasync.verify.VerifyHub}).
 *
 * <p>JSON: {@code {"op":"checksums","table":"note","ranges":[{"after":null,"upTo":["40"]},…]}},
 * {@code {"op":"rows","table":"note","ranges":[{"after":["40"],"upTo":["80"]}]}} or {@code
 * {"op":"page","table":"note","ranges":[{"after":["80"],"upTo":null}],"limit":1000}}; keys are the
 * texts of their values, in primary-key column order.
 *
 * @param op what is asked
 * @param table the table
 * @param ranges the ranges' bounds; exactly one for {@link Op#ROWS}, and one without {@code upTo}
 *     for {@link Op#PAGE}
 * @param limit the most rows of a {@link Op#PAGE}, > 0; 0 for the other ops
 */
public record VerifyRequest(Op op, String table, List<KeyRange> ranges, int limit) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a verify request asks for. */
  public enum Op {
    /** The hub's checksums of the ranges. */
    CHECKSUMS,
    /** The hub's rows of the one range. */
    ROWS,
    /** The hub's first rows after the one range's {@code after} key, at most {@code limit}. */
    PAGE
  }

  /** A request for the checksums of ranges or the rows of one range. */
  public VerifyRequest(Op op, String table, List<KeyRange> ranges) {
    this(op, table, ranges, 0);
  }

  /** A request for the first {@code limit} rows after the key (null: from the table's start). */
  public static VerifyRequest page(String table, List<String> after, int limit) {
    return new VerifyRequest(Op.PAGE, table, List.of(KeyRange.bounds(after, null)), limit);
  }

  public VerifyRequest {
    Objects.requireNonNull(op, "op");
    if (table == null || table.isBlank() || table.length() > 128) {
      throw new IllegalArgumentException("table must be 1 to 128 characters, but was " + table);
    }
    ranges = List.copyOf(ranges);
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
            "expected {\"op\":\"checksums\"|\"rows\"|\"page\",\"table\":…,\"ranges\":[…]}");
      }
      Op op = Op.valueOf(node.path("op").asText("").toUpperCase(java.util.Locale.ROOT));
      List<KeyRange> ranges = new ArrayList<>();
      for (JsonNode range : node.get("ranges")) {
        ranges.add(VerifyJson.range(range));
      }
      return new VerifyRequest(op, node.get("table").asText(), ranges, node.path("limit").asInt(0));
    } catch (IOException | IllegalArgumentException e) {
      throw new ShipException(
          ShipException.Reason.MALFORMED, "malformed verify request: " + e.getMessage(), e);
    }
  }
}
