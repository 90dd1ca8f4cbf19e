package io.deltasync.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.conflict.Row;
import io.deltasync.conflict.internal.RowCodec;
import io.deltasync.delta.Delta;
import io.deltasync.load.ReverseChoice;
import io.deltasync.load.ReverseChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A node asking its hub, in a signed {@link Envelope.Type#LOAD} envelope, to open a snapshot for an
 * initial load, for one chunk of a table in it, or to close it (see {@code
 * io.deltasync.load.LoadSource}).
 *
 * <p>JSON: {@code {"op":"open","tables":["note","ticket"]}}, {@code
 * {"op":"chunk","loadId":"…","table":"note","after":["40"],"limit":1000}} ({@code after} null from
 * the table's start; keys are the texts of their values, in primary-key column order), {@code
 * {"op":"close","loadId":"…"}}, {@code
 * {"op":"held","loadId":"…","table":"note","keys":[["40"],["41"]]}} (which of the keys the snapshot
 * holds; the answer {@code {"held":[["40"]]}}), or, for a reverse load, {@code
 * {"op":"reverse","table":"note","choice":"client-wins","apply":true,"rows":[…]}} (rows typed as in
 * a verify answer), or {@code {"op":"table_reloads","tableReloads":[{"id":…,"error":…},…]}}: which
 * table reloads the hub asks of the requester, reporting how those it asked before ended (see
 * {@link TableReloadsAsked}; the answer {@code {"tables":["<id>:<table>",…]}}).
 *
 * @param op what is asked
 * @param loadId the snapshot, for chunk and close; null for open
 * @param tables the tables to open, for open; empty otherwise
 * @param table the table of a chunk; null otherwise
 * @param after the key after which a chunk starts, or null
 * @param limit the most rows of a chunk; 0 otherwise
 * @param reverse the client's rows, for reverse; null otherwise
 * @param namesOnce for chunk: the requester reads the rows' column names once per chunk ({@code
 *     "namesOnce":true}, see {@link VerifyJson#encode(io.deltasync.verify.HubRows, boolean)}); a
 *     hub that does not know the field sends them with every row, which the requester reads too
 * @param keys for held: the keys asked about, each its texts in primary-key column order; empty
 *     otherwise
 * @param ends for table_reloads: how the table reloads the hub asked for ended since the last such
 *     request, at most {@link PullRequest#MAX_TABLE_RELOADS}; empty otherwise
 */
public record LoadRequest(
    Op op,
    String loadId,
    List<String> tables,
    String table,
    List<String> after,
    int limit,
    ReverseChunk reverse,
    boolean namesOnce,
    List<List<String>> keys,
    List<PullRequest.TableReloadEnd> ends) {

  /** The most keys one held request asks about (a chunk's most rows). */
  public static final int MAX_KEYS = io.deltasync.load.HubSnapshots.MAX_CHUNK_ROWS;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a load request asks for. */
  public enum Op {
    /** Open a snapshot of the tables and tell its position. */
    OPEN,
    /** The rows of one table after a key, in the snapshot. */
    CHUNK,
    /** End the snapshot. */
    CLOSE,
    /** Take one chunk of the requester's own rows (a reverse load). */
    REVERSE,
    /** Which of some keys of one table the snapshot holds. */
    HELD,
    /** Which table reloads the hub asks of the requester; reports how earlier ones ended. */
    TABLE_RELOADS
  }

  public LoadRequest {
    Objects.requireNonNull(op, "op");
    tables = tables == null ? List.of() : List.copyOf(tables);
    keys = keys == null ? List.of() : keys.stream().map(List::copyOf).toList();
    ends = ends == null ? List.of() : List.copyOf(ends);
    if (ends.size() > PullRequest.MAX_TABLE_RELOADS) {
      throw new IllegalArgumentException(
          "at most "
              + PullRequest.MAX_TABLE_RELOADS
              + " table reload outcomes per request, but there were "
              + ends.size());
    }
    after = after == null ? null : List.copyOf(after);
    if (op == Op.OPEN && tables.isEmpty()) {
      throw new IllegalArgumentException("open needs at least one table");
    }
    if (op == Op.REVERSE && reverse == null) {
      throw new IllegalArgumentException("reverse needs its table, choice and rows");
    }
    if (op != Op.OPEN && op != Op.REVERSE && op != Op.TABLE_RELOADS) {
      Delta.requireToken(loadId, op + " needs a loadId: it");
    }
    if (op == Op.HELD && (keys.isEmpty() || keys.size() > MAX_KEYS)) {
      throw new IllegalArgumentException(
          "held needs 1 to " + MAX_KEYS + " keys, but had " + keys.size());
    }
    if ((op == Op.CHUNK || op == Op.HELD)
        && (table == null || table.isBlank() || table.length() > 128)) {
      throw new IllegalArgumentException("table must be 1 to 128 characters, but was " + table);
    }
  }

  /** A request to open a snapshot of the tables. */
  public static LoadRequest open(List<String> tables) {
    return new LoadRequest(Op.OPEN, null, tables, null, null, 0, null, false, null, null);
  }

  /** A request for one chunk. */
  public static LoadRequest chunk(String loadId, String table, List<String> after, int limit) {
    return new LoadRequest(
        Op.CHUNK, loadId, List.of(), table, after, limit, null, true, null, null);
  }

  /** A request to end the snapshot. */
  public static LoadRequest close(String loadId) {
    return new LoadRequest(Op.CLOSE, loadId, List.of(), null, null, 0, null, false, null, null);
  }

  /** A request asking which of the keys of the table the snapshot holds. */
  public static LoadRequest held(String loadId, String table, List<List<String>> keys) {
    return new LoadRequest(Op.HELD, loadId, List.of(), table, null, 0, null, false, keys, null);
  }

  /** A request to take one chunk of a reverse load. */
  public static LoadRequest reverse(ReverseChunk chunk) {
    return new LoadRequest(
        Op.REVERSE, null, List.of(), chunk.table(), null, 0, chunk, false, null, null);
  }

  /**
   * A request for the table reloads the hub asks of the requester, reporting how those it asked
   * before ended.
   */
  public static LoadRequest tableReloads(List<PullRequest.TableReloadEnd> ends) {
    return new LoadRequest(
        Op.TABLE_RELOADS, null, List.of(), null, null, 0, null, false, null, ends);
  }

  /** The request as JSON. */
  public byte[] encode() {
    ObjectNode root = JSON.createObjectNode();
    root.put("op", op.name().toLowerCase(Locale.ROOT));
    if (loadId != null) {
      root.put("loadId", loadId);
    }
    if (op == Op.OPEN) {
      ArrayNode array = root.putArray("tables");
      tables.forEach(array::add);
    }
    if (op == Op.CHUNK) {
      root.put("table", table);
      if (after == null) {
        root.putNull("after");
      } else {
        ArrayNode key = root.putArray("after");
        after.forEach(key::add);
      }
      root.put("limit", limit);
      if (namesOnce) {
        root.put("namesOnce", true);
      }
    }
    if (op == Op.HELD) {
      root.put("table", table);
      putKeys(root, keys);
    }
    if (op == Op.TABLE_RELOADS) {
      PullRequest.putEnds(root, ends);
    }
    if (op == Op.REVERSE) {
      root.put("table", reverse.table());
      root.put("choice", reverse.choice().text());
      root.put("apply", reverse.apply());
      ArrayNode rows = root.putArray("rows");
      for (Row row : reverse.rows()) {
        rows.add(readRow(RowCodec.encode(row)));
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("could not write a load request", e);
    }
  }

  /** Decodes a request; throws {@link ShipException} (MALFORMED) naming what is wrong. */
  public static LoadRequest decode(byte[] json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || !node.path("op").isTextual()) {
        throw new IllegalArgumentException("expected {\"op\":\"open\"|\"chunk\"|\"close\",…}");
      }
      Op op = Op.valueOf(node.path("op").asText().toUpperCase(Locale.ROOT));
      String table = node.hasNonNull("table") ? node.get("table").asText() : null;
      return new LoadRequest(
          op,
          node.hasNonNull("loadId") ? node.get("loadId").asText() : null,
          texts(node.get("tables")),
          table,
          texts(node.get("after")),
          node.path("limit").asInt(0),
          op == Op.REVERSE ? reverse(node, table) : null,
          node.path("namesOnce").asBoolean(false),
          op == Op.HELD ? keys(node.get("keys")) : null,
          op == Op.TABLE_RELOADS
              ? PullRequest.ends(node.get("tableReloads"), "load request")
              : null);
    } catch (ShipException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ShipException(
          ShipException.Reason.MALFORMED, "malformed load request: " + e.getMessage(), e);
    }
  }

  private static ReverseChunk reverse(JsonNode node, String table) {
    JsonNode rows = node.get("rows");
    if (rows == null || !rows.isArray() || !node.path("apply").isBoolean()) {
      throw new IllegalArgumentException("reverse needs \"apply\" (true or false) and \"rows\"");
    }
    List<Row> decoded = new ArrayList<>();
    rows.forEach(row -> decoded.add(RowCodec.decode(row.toString())));
    return new ReverseChunk(
        table,
        ReverseChoice.parse(node.path("choice").asText()),
        node.get("apply").asBoolean(),
        decoded);
  }

  private static JsonNode readRow(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("could not write a row", e);
    }
  }

  /** Writes the keys as {@code "keys":[["40"],…]}, each its texts in primary-key column order. */
  static void putKeys(ObjectNode root, List<List<String>> keys) {
    ArrayNode array = root.putArray("keys");
    for (List<String> key : keys) {
      ArrayNode texts = array.addArray();
      key.forEach(texts::add);
    }
  }

  /** Reads {@link #putKeys}' array; at most {@link #MAX_KEYS}, none null. */
  static List<List<String>> keys(JsonNode array) {
    if (array == null || !array.isArray() || array.size() > MAX_KEYS) {
      throw new IllegalArgumentException("keys must be an array of 1 to " + MAX_KEYS + " keys");
    }
    List<List<String>> keys = new ArrayList<>();
    array.forEach(key -> keys.add(texts(key)));
    if (keys.contains(null)) {
      throw new IllegalArgumentException("a key must be an array of texts, not null");
    }
    return keys;
  }

  private static List<String> texts(JsonNode array) {
    if (array == null || array.isNull()) {
      return null;
    }
    if (!array.isArray()) {
      throw new IllegalArgumentException("expected an array of texts, but was " + array);
    }
    List<String> texts = new ArrayList<>();
    array.forEach(text -> texts.add(text.asText()));
    return texts;
  }
}
