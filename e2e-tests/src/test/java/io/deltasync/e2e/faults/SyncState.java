package io.deltasync.e2e.faults;

import io.deltasync.e2e.support.Db;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every node's database holds at one moment, read directly: the replicated tables row by row,
 * the sync tables' facts that exactly-once rests on, and the pointers between each client and the
 * hub.
 *
 * @param tables per node, per replicated table, its rows in key order, every column as text
 * @param lastSeq per node, the highest seq in its {@code ds_delta}
 * @param deltas per node, how many deltas it stores
 * @param duplicateIds per node, delta ids stored more than once
 * @param deadLetters per node, its dead letters (id, status, reason)
 * @param pointers per "node/peer", {@code [lastPushed, lastProcessed]}
 */
record SyncState(
    Map<String, Map<String, List<List<String>>>> tables,
    Map<String, Long> lastSeq,
    Map<String, Long> deltas,
    Map<String, List<List<String>>> duplicateIds,
    Map<String, List<List<String>>> deadLetters,
    Map<String, long[]> pointers) {

  /** The replicated tables and the order that makes their rows comparable. */
  static final Map<String, String> REPLICATED =
      Map.of(
          "note", "SELECT id, title, body, updated_by FROM note ORDER BY id",
          "item", "SELECT id, name, qty, price FROM item ORDER BY id",
          "counter", "SELECT node, n FROM counter ORDER BY node",
          "op_log", "SELECT id, node, op_no, kind, target FROM op_log ORDER BY id");

  /** Reads every node; fails when one cannot be read (its process is down). */
  static SyncState read(FaultSystem system) {
    Map<String, Map<String, List<List<String>>>> tables = new LinkedHashMap<>();
    Map<String, Long> lastSeq = new LinkedHashMap<>();
    Map<String, Long> deltas = new LinkedHashMap<>();
    Map<String, List<List<String>>> duplicates = new LinkedHashMap<>();
    Map<String, List<List<String>>> dead = new LinkedHashMap<>();
    Map<String, long[]> pointers = new LinkedHashMap<>();
    for (String node : system.nodes()) {
      Db db = system.db(node);
      Map<String, List<List<String>>> rows = new LinkedHashMap<>();
      REPLICATED.forEach((table, sql) -> rows.put(table, db.rows(sql)));
      tables.put(node, rows);
      lastSeq.put(node, db.number("SELECT COALESCE(MAX(seq), 0) FROM ds_delta"));
      deltas.put(node, db.number("SELECT COUNT(*) FROM ds_delta"));
      duplicates.put(
          node,
          db.rows("SELECT delta_id, COUNT(*) FROM ds_delta GROUP BY delta_id HAVING COUNT(*) > 1"));
      dead.put(node, db.rows("SELECT delta_id, status, reason FROM ds_dead_letter"));
      for (List<String> row :
          db.rows(
              "SELECT peer_id, last_pushed, last_processed FROM ds_node_pointer WHERE node_id = ?",
              node)) {
        pointers.put(
            node + "/" + row.get(0),
            new long[] {Long.parseLong(row.get(1)), Long.parseLong(row.get(2))});
      }
    }
    return new SyncState(tables, lastSeq, deltas, duplicates, dead, pointers);
  }

  /** Whether every database holds the hub's rows and every pointer is at the end of its stream. */
  boolean converged() {
    return tableDifferences().isEmpty() && pointerDifferences().isEmpty();
  }

  /** Where a node's replicated rows differ from the hub's, one line per table and node. */
  List<String> tableDifferences() {
    List<String> differences = new ArrayList<>();
    Map<String, List<List<String>>> hub = tables.get(FaultSystem.HUB);
    tables.forEach(
        (node, rows) ->
            rows.forEach(
                (table, own) -> {
                  List<List<String>> expected = hub.get(table);
                  if (!own.equals(expected)) {
                    differences.add(describe(node, table, own, expected));
                  }
                }));
    return differences;
  }

  /**
   * Pointers not at the end of their stream: the hub has processed each client's last seq and
   * passed it its own last seq; each client has processed the hub's last seq and pushed its own.
   */
  List<String> pointerDifferences() {
    List<String> differences = new ArrayList<>();
    long hubLast = lastSeq.get(FaultSystem.HUB);
    for (String client : FaultSystem.CLIENTS) {
      long clientLast = lastSeq.get(client);
      expect(differences, FaultSystem.HUB, client, "lastPushed", 0, hubLast);
      expect(differences, FaultSystem.HUB, client, "lastProcessed", 1, clientLast);
      expect(differences, client, FaultSystem.HUB, "lastPushed", 0, clientLast);
      expect(differences, client, FaultSystem.HUB, "lastProcessed", 1, hubLast);
    }
    return differences;
  }

  private void expect(
      List<String> differences, String node, String peer, String name, int index, long end) {
    long[] pointer = pointers.get(node + "/" + peer);
    long actual = pointer == null ? -1 : pointer[index];
    if (actual != end) {
      differences.add(
          node
              + "'s "
              + name
              + " for "
              + peer
              + " is "
              + actual
              + ", the end of the stream "
              + end);
    }
  }

  private static String describe(
      String node, String table, List<List<String>> own, List<List<String>> expected) {
    List<List<String>> missing = new ArrayList<>(expected);
    missing.removeAll(own);
    List<List<String>> extra = new ArrayList<>(own);
    extra.removeAll(expected);
    return node
        + "'s "
        + table
        + " ("
        + own.size()
        + " rows) differs from the hub's ("
        + expected.size()
        + "): lacks "
        + head(missing)
        + ", has besides "
        + head(extra);
  }

  private static String head(List<List<String>> rows) {
    return rows.size() <= 3
        ? rows.toString()
        : rows.subList(0, 3) + " and " + (rows.size() - 3) + " more";
  }
}
