package io.deltasync.conflict.internal;

import io.deltasync.delta.Delta;
import io.deltasync.store.internal.DeltaRows;
import io.deltasync.store.internal.ValueLists;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the hub holds that a batch's deltas may conflict with, read once per batch: for each table
 * of the batch, the hub's deltas after the lowest basis on the batch's rows and its multi-row
 * statements, and the rows with an open conflict. Per delta the check is then a scan in memory; the
 * deltas of a real conflict are read in full. Few queries, each on the {@code (table_name,
 * row_key)} index. Valid while the caller holds the {@code ds_conflict} lock.
 */
final class HubWindow {

  /** A hub delta, as much as the check needs. */
  private record Entry(long seq, String origin, String receivedFrom, String rowKey) {}

  /**
   * A table's part of the window: its entries by row key, and those that pin no row (multi-row
   * statements), which every delta on the table may conflict with.
   */
  private static final class TableEntries {
    private final Map<String, List<Entry>> byRow = new HashMap<>();
    private final List<Entry> unpinned = new ArrayList<>();
    private final List<Entry> all = new ArrayList<>();

    void add(Entry entry) {
      all.add(entry);
      if (entry.rowKey() == null) {
        unpinned.add(entry);
      } else {
        byRow.computeIfAbsent(entry.rowKey(), k -> new ArrayList<>()).add(entry);
      }
    }

    /** The entries a delta on this row (null: on no one row) may conflict with. */
    List<List<Entry>> on(String rowKey) {
      return rowKey == null
          ? List.of(all)
          : List.of(byRow.getOrDefault(rowKey, List.of()), unpinned);
    }
  }

  private static final TableEntries NONE = new TableEntries();

  private static final String LIGHT = "SELECT seq, origin, received_from, row_key FROM ds_delta";

  private final Connection connection;
  private final Map<String, TableEntries> byTable = new HashMap<>();
  private final Set<String> openRows;
  private final Map<String, List<Delta>> resolvedRows = new HashMap<>();

  private HubWindow(Connection connection, Set<String> openRows) {
    this.connection = connection;
    this.openRows = openRows;
  }

  /** Reads the window of the deltas a batch brings (those its sender originated). */
  static HubWindow of(Connection connection, List<Delta> incoming) throws SQLException {
    HubWindow window = new HubWindow(connection, ConflictRows.openRows(connection));
    Map<String, List<Delta>> tables = new LinkedHashMap<>();
    for (Delta delta : incoming) {
      if (delta.table() != null) {
        tables.computeIfAbsent(delta.table(), t -> new ArrayList<>()).add(delta);
      }
    }
    for (Map.Entry<String, List<Delta>> table : tables.entrySet()) {
      window.byTable.put(table.getKey(), window.read(table.getKey(), table.getValue()));
    }
    return window;
  }

  /** The hub's deltas the delta's origin had not seen on its row (or table), oldest first. */
  List<Delta> missedBy(Delta delta, int limit) throws SQLException {
    List<Long> seqs = missedSeqs(delta);
    if (seqs.isEmpty()) {
      return List.of();
    }
    Collections.sort(seqs);
    return full(seqs.subList(Math.max(0, seqs.size() - limit), seqs.size()));
  }

  /**
   * Whether the check of the delta finds nothing to look at: no hub delta its origin missed on its
   * row (or table), no conflict this batch resolved there, none open there. Reads nothing.
   */
  boolean clear(Delta delta) {
    return missedSeqs(delta).isEmpty() && resolvedEarlier(delta) == null && !parked(delta);
  }

  private List<Long> missedSeqs(Delta delta) {
    String key = ConflictRows.keyText(delta.rowKey());
    List<Long> seqs = new ArrayList<>();
    for (List<Entry> entries : byTable.getOrDefault(delta.table(), NONE).on(key)) {
      for (Entry entry : entries) {
        if (entry.seq() > delta.basis()
            && !entry.origin().equals(delta.origin())
            && !delta.origin().equals(entry.receivedFrom())) {
          seqs.add(entry.seq());
        }
      }
    }
    return seqs;
  }

  /** Whether an open conflict waits on the delta's row (or, for a multi-row one, its table). */
  boolean parked(Delta delta) {
    return openRows.contains(identity(delta));
  }

  /**
   * The hub deltas of a conflict that this batch already resolved on the delta's row, or null when
   * it resolved none there. A later delta of the batch on that row was written on its origin's view
   * of the row, which the resolution changed, and the row image telling the origin so is only
   * written when the batch ends: it is a conflict too.
   */
  List<Delta> resolvedEarlier(Delta delta) {
    return delta.rowKey() == null ? null : resolvedRows.get(identity(delta));
  }

  /** Notes a row this batch resolved a conflict on, with the hub's side of that conflict. */
  void resolved(String rowIdentity, List<Delta> hubDeltas) {
    resolvedRows.putIfAbsent(rowIdentity, hubDeltas);
  }

  /** Notes a conflict parked by this batch, so later deltas on the row park behind it. */
  void park(Delta delta) {
    openRows.add(identity(delta));
  }

  /** A row as {@code Target.identity()} names it. */
  private static String identity(Delta delta) {
    return delta.table() + " " + ConflictRows.keyText(delta.rowKey());
  }

  private TableEntries read(String table, List<Delta> deltas) throws SQLException {
    long after = deltas.stream().mapToLong(Delta::basis).min().orElse(0);
    TableEntries entries = new TableEntries();
    if (deltas.stream().anyMatch(d -> d.rowKey() == null)) {
      query(LIGHT + " WHERE table_name = ? AND seq > ?", table, after, entries);
      return entries;
    }
    query(LIGHT + " WHERE table_name = ? AND row_key IS NULL AND seq > ?", table, after, entries);
    List<String> keys =
        deltas.stream().map(d -> ConflictRows.keyText(d.rowKey())).distinct().toList();
    if (ValueLists.arrays(connection)) {
      readKeyByKeyOnPostgres(table, after, keys, entries);
      return entries;
    }
    ValueLists.select(
        connection,
        LIGHT + " WHERE table_name = ? AND seq > ? AND row_key " + ValueLists.LIST,
        keys,
        select -> {
          select.setString(1, table);
          select.setLong(2, after);
          return 2;
        },
        row -> entries.add(entry(row)));
    return entries;
  }

  /**
   * PostgreSQL's read of the rows' entries: one probe of the {@code (table_name, row_key)} index
   * per key. Written as {@code table_name = ? AND seq > ? AND row_key = ANY (?)}, statistics older
   * than {@code ds_delta} (a hub's first minute, a burst of deltas before autovacuum analyzes them)
   * let PostgreSQL read every delta of the table after the basis through its {@code (table_name,
   * seq)} index: a client that comes back after a day offline, its basis a day old, had each of its
   * batches read the day's deltas of the table. {@code OFFSET 0} keeps the subquery from being
   * merged into a join, so each key is looked up on its own whatever the statistics say.
   */
  private void readKeyByKeyOnPostgres(
      String table, long after, List<String> keys, TableEntries into) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT d.seq, d.origin, d.received_from, d.row_key"
                + " FROM unnest(CAST(? AS text[])) AS k (row_key) CROSS JOIN LATERAL"
                + " (SELECT seq, origin, received_from, row_key FROM ds_delta"
                + " WHERE table_name = ? AND row_key = k.row_key AND seq > ? OFFSET 0) AS d")) {
      ValueLists.planEachRun(select);
      Array array = connection.createArrayOf("text", keys.toArray());
      try {
        select.setArray(1, array);
        select.setString(2, table);
        select.setLong(3, after);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            into.add(entry(rows));
          }
        }
      } finally {
        array.free();
      }
    }
  }

  /**
   * Reads the entries of a query on the table after the basis. Planned each run on PostgreSQL:
   * prepared on the server while {@code ds_delta} was empty (after a purge and autovacuum), the
   * read of the table's multi-row deltas kept a plan that scanned the whole table, for every batch.
   */
  private void query(String sql, String table, long after, TableEntries into) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      ValueLists.planEachRun(select);
      select.setString(1, table);
      select.setLong(2, after);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          into.add(entry(rows));
        }
      }
    }
  }

  private static Entry entry(ResultSet row) throws SQLException {
    return new Entry(row.getLong(1), row.getString(2), row.getString(3), row.getString(4));
  }

  private List<Delta> full(List<Long> seqs) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + DeltaRows.COLUMNS
                + " FROM ds_delta WHERE seq IN ("
                + String.join(", ", Collections.nCopies(seqs.size(), "?"))
                + ") ORDER BY seq")) {
      for (int i = 0; i < seqs.size(); i++) {
        select.setLong(i + 1, seqs.get(i));
      }
      return DeltaRows.readAll(select);
    }
  }
}
