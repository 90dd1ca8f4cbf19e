package io.deltasync.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.conflict.Row;
import io.deltasync.delta.Incarnation;
import io.deltasync.load.LoadStart;
import io.deltasync.load.ReverseResult;
import io.deltasync.load.TableReloadRequest;
import io.deltasync.verify.HubRows;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hub's answers to load requests: the opened snapshot as {@code
 * {"loadId":…,"snapshotSeq":…,"tables":[…],"incarnation":{"id":…,"baseSeq":…}|null,"rows":{table:n}}}
 * ({@code rows}, each table's rows in the snapshot, is left out by hubs before it and ignored by
 * receivers before it: either way the load runs, only without an estimate of the time left), a
 * chunk's rows typed as in a verify answer ({@link VerifyJson}), and what the hub did with a chunk
 * of a reverse load as {@code {"inserted":…,"overwritten":…,"kept":…,"unchanged":…}}.
 */
public final class LoadJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LoadJson() {}

  /** An opened snapshot. */
  public static byte[] encode(LoadStart start) {
    ObjectNode root = JSON.createObjectNode();
    root.put("loadId", start.loadId());
    root.put("snapshotSeq", start.snapshotSeq());
    start.tables().forEach(root.putArray("tables")::add);
    if (start.incarnation() == null) {
      root.putNull("incarnation");
    } else {
      ObjectNode incarnation = root.putObject("incarnation");
      incarnation.put("id", start.incarnation().id());
      incarnation.put("baseSeq", start.incarnation().baseSeq());
    }
    ObjectNode rows = root.putObject("rows");
    start.rows().forEach(rows::put);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("could not write a load answer", e);
    }
  }

  /** Decodes an opened snapshot. */
  public static LoadStart decodeStart(byte[] json) {
    try {
      JsonNode root = JSON.readTree(json);
      JsonNode incarnation = root.path("incarnation");
      return new LoadStart(
          root.path("loadId").asText(),
          root.path("snapshotSeq").asLong(),
          incarnation.isObject()
              ? new Incarnation(
                  incarnation.path("id").asText(), incarnation.path("baseSeq").asLong())
              : null,
          texts(root.path("tables")),
          counts(root.path("rows")));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("malformed load answer: " + e.getMessage(), e);
    }
  }

  private static Map<String, Long> counts(JsonNode object) {
    Map<String, Long> counts = new LinkedHashMap<>();
    object
        .fields()
        .forEachRemaining(field -> counts.put(field.getKey(), field.getValue().asLong()));
    return counts;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new java.util.ArrayList<>();
    array.forEach(text -> texts.add(text.asText()));
    return texts;
  }

  /** A chunk's rows, each with its column names. */
  public static byte[] encode(List<Row> rows) {
    return encode(rows, false);
  }

  /**
   * A chunk's rows; with {@code namesOnce}, the column names once for the chunk (see {@link
   * VerifyJson#encode(HubRows, boolean)}).
   */
  public static byte[] encode(List<Row> rows, boolean namesOnce) {
    return VerifyJson.encode(new HubRows(0, rows), namesOnce);
  }

  /** The answer to a held request: {@code {"held":[["40"],…]}}. */
  public static byte[] encodeHeld(Set<List<String>> held) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("held");
    for (List<String> key : held) {
      ArrayNode texts = array.addArray();
      key.forEach(texts::add);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("could not write a held answer", e);
    }
  }

  /** Reads {@link #encodeHeld}. */
  public static Set<List<String>> decodeHeld(byte[] json) {
    try {
      JsonNode held = JSON.readTree(json).get("held");
      if (held == null || !held.isArray()) {
        throw new IllegalArgumentException("malformed held answer: no \"held\" array");
      }
      Set<List<String>> keys = new HashSet<>();
      held.forEach(key -> keys.add(texts(key)));
      return keys;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed held answer: " + e.getMessage(), e);
    }
  }

  /**
   * The answer to a table_reloads request: {@code {"tables":["<id>:<table>",…]}}, the reloads due
   * for the requester.
   */
  public static byte[] encodeTableReloads(List<TableReloadRequest> due) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("tables");
    for (TableReloadRequest request : due) {
      array.add(request.id() + ":" + request.table());
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("could not write a table reloads answer", e);
    }
  }

  /**
   * Reads {@link #encodeTableReloads}: the entries, each {@code <id>:<table>} as the hub wrote it.
   */
  public static List<String> decodeTableReloads(byte[] json) {
    try {
      JsonNode tables = JSON.readTree(json).get("tables");
      if (tables == null || !tables.isArray()) {
        throw new IllegalArgumentException("malformed table reloads answer: no \"tables\" array");
      }
      List<String> entries = new ArrayList<>(tables.size());
      tables.forEach(entry -> entries.add(entry.asText()));
      return entries;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed table reloads answer: " + e.getMessage(), e);
    }
  }

  /** Decodes a chunk's rows, in either form. */
  public static List<Row> decodeRows(byte[] json) {
    return VerifyJson.decodeRows(json).rows();
  }

  /** What the hub did with a chunk of a reverse load. */
  public static byte[] encode(ReverseResult result) {
    ObjectNode root =
        JSON.createObjectNode()
            .put("inserted", result.inserted())
            .put("overwritten", result.overwritten())
            .put("kept", result.kept())
            .put("unchanged", result.unchanged());
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("could not write a reverse-load answer", e);
    }
  }

  /** Decodes what the hub did with a chunk of a reverse load. */
  public static ReverseResult decodeReverse(byte[] json) {
    try {
      JsonNode root = JSON.readTree(json);
      return new ReverseResult(
          root.path("inserted").asInt(),
          root.path("overwritten").asInt(),
          root.path("kept").asInt(),
          root.path("unchanged").asInt());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("malformed reverse-load answer: " + e.getMessage(), e);
    }
  }
}
