package io.deltasync.ship;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.conflict.Row;
import io.deltasync.conflict.internal.RowCodec;
import io.deltasync.delta.DeltaFormatException;
import io.deltasync.delta.Param;
import io.deltasync.delta.internal.JsonIn;
import io.deltasync.delta.internal.JsonText;
import io.deltasync.verify.HubChecksums;
import io.deltasync.verify.HubRows;
import io.deltasync.verify.KeyRange;
import io.deltasync.verify.RepairReport;
import io.deltasync.verify.TableReloadReport;
import io.deltasync.verify.VerifyReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Verify in JSON: the hub's answers on the wire, and reports for the console and other tools.
 * Values are texts as {@code ParamText} writes them; a row keeps each value's type, as deltas do.
 * Stateless and thread-safe.
 */
public final class VerifyJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private VerifyJson() {}

  /** {@code {"hubSeq":…,"ranges":[{"after":…,"upTo":…,"rows":…,"hash":"…"},…]}} */
  public static byte[] encode(HubChecksums checksums) {
    ObjectNode root = JSON.createObjectNode().put("hubSeq", checksums.hubSeq());
    ArrayNode ranges = root.putArray("ranges");
    checksums.ranges().forEach(range -> measured(ranges.addObject(), range));
    return bytes(root);
  }

  /**
   * {@code {"hubSeq":…,"rows":[[typed column-value pairs],…]}}: each row written once, in its
   * codec's text, without a tree in between (a load sends pages of thousands of rows).
   */
  public static byte[] encode(HubRows rows) {
    return encode(rows, false);
  }

  /**
   * As {@link #encode(HubRows)}; with {@code namesOnce}, and when every row has the same columns in
   * the same order (a page read by one query does), the names come once: {@code
   * {"hubSeq":…,"columns":["id",…],"rows":[[typed values],…]}}, about 40 % fewer bytes to write,
   * compress, send and read. {@link #decodeRows} reads both.
   */
  public static byte[] encode(HubRows rows, boolean namesOnce) {
    if (namesOnce && !rows.rows().isEmpty()) {
      byte[] compact = encodeNamesOnce(rows);
      if (compact != null) {
        return compact;
      }
    }
    int count = rows.rows().size();
    StringBuilder first =
        count == 0 ? new StringBuilder() : json(rows.rows().get(0), new StringBuilder());
    StringBuilder json = new StringBuilder(64 + (first.length() + 8) * count * 9 / 8);
    json.append("{\"hubSeq\":").append(rows.hubSeq()).append(",\"rows\":[").append(first);
    for (int i = 1; i < count; i++) {
      json(rows.rows().get(i), json.append(','));
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static StringBuilder json(Row row, StringBuilder json) {
    return json.append(RowCodec.encode(row));
  }

  /**
   * The names-once form, each row checked against the first row's columns as it is written; null
   * when a row has other columns or another order.
   */
  private static byte[] encodeNamesOnce(HubRows rows) {
    List<String> columns = rows.rows().get(0).columns();
    StringBuilder first = new StringBuilder();
    if (!values(first, rows.rows().get(0), columns)) {
      return null;
    }
    int count = rows.rows().size();
    // sized from the first row, so that a page of thousands is not copied again and again
    StringBuilder json = new StringBuilder(64 + (first.length() + 8) * count * 9 / 8);
    json.append("{\"hubSeq\":").append(rows.hubSeq()).append(",\"columns\":[");
    for (int i = 0; i < columns.size(); i++) {
      json.append(i == 0 ? "" : ",");
      JsonText.string(json, columns.get(i));
    }
    json.append("],\"rows\":[").append(first);
    for (int i = 1; i < count; i++) {
      if (!values(json.append(','), rows.rows().get(i), columns)) {
        return null;
      }
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Appends the row's values if it has exactly these columns, in order; else false. */
  private static boolean values(StringBuilder json, Row row, List<String> columns) {
    if (row.values().size() != columns.size()) {
      return false;
    }
    json.append('[');
    int i = 0;
    for (Map.Entry<String, Param> value : row.values().entrySet()) {
      if (!value.getKey().equals(columns.get(i))) {
        return false;
      }
      if (i++ > 0) {
        json.append(',');
      }
      JsonText.param(json, value.getValue());
    }
    json.append(']');
    return true;
  }

  /** One row of the names-once form: its values, in the order of the names. */
  private static Row row(List<String> columns, JsonParser parser) throws IOException {
    List<Param> values = JsonIn.readParams(parser);
    if (values.size() != columns.size()) {
      throw new IllegalArgumentException(
          "a row holds " + values.size() + " values for " + columns.size() + " columns");
    }
    return Row.of(columns, values);
  }

  /** Reads {@link #encode(HubChecksums)}. */
  public static HubChecksums decodeChecksums(byte[] json) {
    JsonNode root = read(json);
    List<KeyRange> ranges = new ArrayList<>();
    root.path("ranges").forEach(range -> ranges.add(range(range)));
    return new HubChecksums(root.path("hubSeq").asLong(), ranges);
  }

  /** Reads {@link #encode(HubRows)} in one pass. */
  public static HubRows decodeRows(byte[] json) {
    long hubSeq = 0;
    List<String> columns = null;
    List<Row> rows = new ArrayList<>();
    try (JsonParser parser = JSON.getFactory().createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("malformed verify answer: not an object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("hubSeq") && value == JsonToken.VALUE_NUMBER_INT) {
          hubSeq = parser.getLongValue();
        } else if (field.equals("columns") && value == JsonToken.START_ARRAY) {
          columns = new ArrayList<>();
          while (parser.nextToken() == JsonToken.VALUE_STRING) {
            columns.add(parser.getText());
          }
          if (parser.currentToken() != JsonToken.END_ARRAY || columns.isEmpty()) {
            throw new IllegalArgumentException("columns must be a non-empty array of names");
          }
        } else if (field.equals("rows") && value == JsonToken.START_ARRAY) {
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            rows.add(columns == null ? RowCodec.read(parser) : row(columns, parser));
          }
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException | DeltaFormatException e) {
      throw new IllegalArgumentException("malformed verify answer: " + e.getMessage(), e);
    }
    return new HubRows(hubSeq, rows);
  }

  /** A verify report: what differs, by range and by row, with keys as texts. */
  public static String report(VerifyReport report) {
    ObjectNode root =
        JSON.createObjectNode()
            .put("table", report.table())
            .put("node", report.nodeId())
            .put("hub", report.hubId())
            .put("hubSeq", report.hubSeq())
            .put("ranges", report.ranges())
            .put("nodeRows", report.nodeRows())
            .put("inSync", report.inSync());
    ArrayNode ranges = root.putArray("differingRanges");
    report.differingRanges().forEach(range -> measured(ranges.addObject(), range));
    ArrayNode rows = root.putArray("rows");
    report
        .rows()
        .forEach(
            row -> {
              ObjectNode node = rows.addObject().put("kind", row.kind().name());
              node.put("table", row.table());
              ObjectNode key = node.putObject("key");
              row.key().values().forEach(key::put);
            });
    return new String(bytes(root), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A repair report. */
  public static String report(RepairReport repair) {
    ObjectNode root =
        JSON.createObjectNode()
            .put("table", repair.table())
            .put("repairedRanges", repair.repairedRanges())
            .put("written", repair.written())
            .put("deleted", repair.deleted());
    ArrayNode skipped = root.putArray("skipped");
    repair.skipped().forEach(range -> bounds(skipped.addObject(), range));
    return new String(bytes(root), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A table reload's report. */
  public static String report(TableReloadReport reload) {
    ObjectNode root =
        JSON.createObjectNode()
            .put("table", reload.table())
            .put("hub", reload.hubId())
            .put("hubSeq", reload.hubSeq())
            .put("reloadedRanges", reload.reloadedRanges())
            .put("written", reload.written())
            .put("deleted", reload.deleted())
            .put("complete", reload.complete())
            .put("millis", reload.millis());
    ArrayNode skipped = root.putArray("skipped");
    reload.skipped().forEach(range -> bounds(skipped.addObject(), range));
    return new String(bytes(root), java.nio.charset.StandardCharsets.UTF_8);
  }

  static void bounds(ObjectNode node, KeyRange range) {
    key(node, "after", range.after());
    key(node, "upTo", range.upTo());
  }

  static KeyRange range(JsonNode node) {
    return new KeyRange(
        key(node.get("after")),
        key(node.get("upTo")),
        node.path("rows").asLong(0),
        node.path("hash").asText(""));
  }

  private static void measured(ObjectNode node, KeyRange range) {
    bounds(node, range);
    node.put("rows", range.rows()).put("hash", range.hash());
  }

  private static void key(ObjectNode node, String field, List<String> key) {
    if (key == null) {
      node.putNull(field);
    } else {
      ArrayNode array = node.putArray(field);
      key.forEach(array::add);
    }
  }

  private static List<String> key(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException("a key must be an array of texts, but was " + node);
    }
    List<String> key = new ArrayList<>();
    node.forEach(value -> key.add(value.asText()));
    return key;
  }

  private static JsonNode read(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed verify answer: " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("could not write verify JSON", e);
    }
  }
}
