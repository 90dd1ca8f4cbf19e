package io.deltasync.load;

import io.deltasync.conflict.Row;
import io.deltasync.conflict.internal.Dialect;
import io.deltasync.conflict.internal.RowSql;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.load.internal.LoadRows;
import io.deltasync.load.internal.LoadRows.Progress;
import io.deltasync.store.DeltaSignal;
import io.deltasync.store.Rebase;
import io.deltasync.store.internal.IncarnationRows;
import io.deltasync.store.internal.PointerRows;
import io.deltasync.store.internal.ReloadRows;
import io.deltasync.store.internal.ValueLists;
import io.deltasync.verify.HubVerifier;
import io.deltasync.verify.KeyRange;
import io.deltasync.verify.internal.RangeReads;
import io.deltasync.verify.internal.RowDiffs;
import io.deltasync.verify.internal.RowText;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing half of a load on the receiving node, beside {@link ChunkReader}, its reading half:
 * opens the node's {@code ds_load} rows, applies each chunk of the hub's rows in one transaction of
 * its own with plain JDBC (nothing captured), and with the last chunk of the last table sets the
 * node's pointer for the hub to the snapshot's position. Every method works on the caller's
 * connection and leaves it as it found it (auto-commit, isolation). Not thread-safe.
 */
final class ChunkWriter {

  /** Tries per chunk while this node's own writes race it. */
  private static final int ATTEMPTS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(ChunkWriter.class);

  private final String nodeId;
  private final String hubId;

  /** The peers below this node that the last chunk of the load asked to reload from it. */
  private final List<String> below = new ArrayList<>();

  ChunkWriter(String nodeId, String hubId) {
    this.nodeId = nodeId;
    this.hubId = hubId;
  }

  /**
   * Replaces this node's load rows for the hub with those of a new load, in one transaction; from
   * then on a stop resumes it as a load.
   */
  void begin(Connection connection, LoadStart start, List<String> tables, long pushedBefore)
      throws SQLException {
    inTransaction(
        connection,
        () -> {
          LoadRows.begin(connection, hubId, start, tables, pushedBefore);
          ReloadRows.delete(connection, nodeId, hubId); // from here on, resumed as a load
          return null;
        });
  }

  /**
   * Applies a table's chunks from where its progress stands to its end, each in a transaction of
   * its own with its progress; the last chunk of the last table also sets the pointer. Returns the
   * table's rows loaded; checks {@code proceed} before each chunk.
   */
  long write(
      Connection connection,
      TableShape shape,
      Progress table,
      ChunkReader chunks,
      boolean lastTable,
      Map<String, Long> written,
      BooleanSupplier proceed)
      throws SQLException {
    List<String> after = table.lastKey();
    long rows = table.rows();
    boolean done = false;
    while (!done) {
      if (!proceed.getAsBoolean()) {
        throw new LoadException(
            nodeId
                + " stopped its load from "
                + hubId
                + " in table "
                + table.table()
                + " after "
                + rows
                + " rows; it resumes from there");
      }
      ChunkReader.Chunk next = chunks.next();
      List<Row> chunk = next.rows();
      boolean end = next.last();
      done = end;
      boolean last = end && lastTable;
      List<String> from = after;
      List<String> upTo =
          chunk.isEmpty() ? after : RowText.key(chunk.get(chunk.size() - 1), shape.keyColumns());
      boolean applied = false;
      for (int attempt = 1; !applied; attempt++) {
        if (attempt > ATTEMPTS) {
          throw new LoadException(
              nodeId
                  + " kept writing to "
                  + table.table()
                  + " while loading it from "
                  + hubId
                  + ": gave up the chunk after "
                  + upTo
                  + " after "
                  + ATTEMPTS
                  + " tries; it resumes there");
        }
        applied =
            inTransaction(
                connection,
                () -> {
                  if (!apply(
                      connection,
                      shape,
                      from,
                      end ? null : upTo,
                      chunk,
                      table.pushedBefore(),
                      chunks)) {
                    return false;
                  }
                  LoadRows.advance(connection, hubId, table.table(), upTo, chunk.size(), end);
                  if (last) {
                    below.clear();
                    below.addAll(finish(connection, table.start()));
                  }
                  return true;
                });
      }
      if (last && !below.isEmpty()) {
        LOG.info(
            "{} loaded its tables from {} without deltas for what changed: {} reload from {} in"
                + " turn",
            nodeId,
            hubId,
            String.join(", ", below),
            nodeId);
        DeltaSignal.of(nodeId).raise(); // their pulls held open are refused now, not later
      }
      after = upTo;
      rows += chunk.size();
      written.merge(table.table(), (long) chunk.size(), Long::sum);
      LOG.debug("{}: {} rows of {} loaded from {}", nodeId, rows, table.table(), hubId);
    }
    return rows;
  }

  /**
   * Writes the hub's rows of the range: with plain INSERTs when this node held no row of it (a new
   * node's load, where an upsert costs several times as much), else, or if a write of the node's
   * own got in after all, with upserts.
   */
  static void write(Connection connection, TableShape shape, List<Row> rows, boolean empty)
      throws SQLException {
    if (empty) {
      Savepoint before = connection.setSavepoint();
      try {
        RowSql.insertAll(connection, shape.table(), rows);
        connection.releaseSavepoint(before);
        return;
      } catch (SQLException e) {
        connection.rollback(before); // a key is there already: upsert instead
      }
    }
    RowSql.upsertAll(connection, Dialect.of(connection), shape.table(), shape.keyColumns(), rows);
  }

  /**
   * Makes the key range (from, upTo] equal to the hub's rows (upTo null: to the table's end), but
   * for rows this node or its clients wrote that the hub has not acknowledged (they reach the hub
   * as this node's deltas) and rows the hub's snapshot holds in other chunks; false, to be rolled
   * back, when a write of this node raced the chunk on one of its rows (or its inbox applied a
   * client's).
   *
   * <p>The range is this node's: where its database orders text keys otherwise than the hub's
   * (MariaDB's case-insensitive collations against PostgreSQL's or H2's, say), rows the hub sends
   * in other chunks fall in it. So a row of the range that the chunk does not hold is deleted only
   * once the hub said its snapshot lacks it ({@link ChunkReader#held}): a row of an earlier chunk
   * stays, one of a later chunk is written then. Every row of this node lies in the range of some
   * chunk, whatever the two orders, so none the hub lacks is left.
   */
  private boolean apply(
      Connection connection,
      TableShape shape,
      List<String> from,
      List<String> upTo,
      List<Row> rows,
      long pushedBefore,
      ChunkReader chunks)
      throws SQLException {
    long mark = count(connection, "SELECT COALESCE(MAX(seq), 0) FROM ds_delta");
    Set<String> own = new HashSet<>();
    // what this node sends the hub (its own writes, and its clients' it passes on) is in the hub's
    // snapshot once the hub acknowledged it when the load opened; the rest reaches the hub as this
    // node's deltas after the load, so the rows they name are kept
    boolean ownUnpinned = keysSentToHub(connection, hubId, shape.table(), pushedBefore, own);
    Map<List<String>, Row> mine =
        RowDiffs.byKey(
            shape,
            RangeReads.rows(
                connection, shape, KeyRange.bounds(from, upTo), HubVerifier.MAX_RANGE_ROWS));
    boolean rangeEmpty = mine.isEmpty();
    Set<String> deleted = new HashSet<>();
    if (!rangeEmpty) {
      for (Row row : rows) {
        mine.remove(RowText.matchKey(row, shape.keyColumns()));
      }
    }
    if (!ownUnpinned && !mine.isEmpty()) {
      Map<List<String>, Row> extras = new LinkedHashMap<>();
      mine.forEach(
          (keyTexts, extra) -> {
            if (!own.contains(rowKey(shape, extra))) {
              extras.put(keyTexts, extra);
            }
          });
      if (!extras.isEmpty()) {
        extras.keySet().removeAll(chunks.held(new ArrayList<>(extras.keySet())));
      }
      for (Row extra : extras.values()) {
        deleted.add(rowKey(shape, extra));
        RowSql.delete(
            connection, shape.table(), shape.keyColumns(), extra.params(shape.keyColumns()));
      }
    }
    // a new node's load has no own writes: every row of the hub's is written, none keyed here
    List<Row> hubRows = rows;
    if (!own.isEmpty()) {
      hubRows = new ArrayList<>(rows.size());
      for (Row row : rows) {
        if (!own.contains(rowKey(shape, row))) {
          hubRows.add(row);
        }
      }
    }
    write(connection, shape, hubRows, rangeEmpty);
    Set<String> raced = new HashSet<>();
    if (keysSentToHub(connection, hubId, shape.table(), mark, raced)) {
      return false;
    }
    if (raced.isEmpty()) {
      return true;
    }
    // this node wrote while the chunk was applied: did it write a row the chunk wrote or deleted?
    for (Row row : hubRows) {
      if (raced.contains(rowKey(shape, row))) {
        return false;
      }
    }
    raced.retainAll(deleted);
    return raced.isEmpty();
  }

  private static String rowKey(TableShape shape, Row row) {
    return DeltaCodec.encodeRowKey(row.key(shape.keyColumns()));
  }

  /**
   * Adds to {@code keys} the row keys of the deltas on the table above the seq that this node sends
   * the hub: every delta it did not receive from the hub, its own and those its clients passed on
   * (a hub below the hub in a tree); returns whether one of them names no single row.
   */
  static boolean keysSentToHub(
      Connection connection, String hubId, String table, long aboveSeq, Set<String> keys)
      throws SQLException {
    boolean unpinned = false;
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT row_key FROM ds_delta WHERE (received_from IS NULL OR received_from <> ?)"
                + " AND LOWER(table_name) = ? AND seq > ?")) {
      select.setString(1, hubId);
      select.setString(2, table);
      select.setLong(3, aboveSeq);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String key = rows.getString(1);
          if (key == null) {
            unpinned = true;
          } else {
            keys.add(key);
          }
        }
      }
    }
    return unpinned;
  }

  /**
   * The pointer for the hub becomes the snapshot's position, in the hub's incarnation; a reload
   * (the pointer was set) records the move as a re-base. The peers below this node (those it holds
   * a pointer for, but the hub: the clients of a hub in a tree) must reload from it in turn, since
   * the rows the load changed reach them by no delta; returns them.
   */
  private List<String> finish(Connection connection, LoadStart start) throws SQLException {
    long[] pointer = PointerRows.select(connection, nodeId, hubId, true);
    long before = pointer == null ? 0 : pointer[1];
    if (before == 0) {
      PointerRows.advance(connection, nodeId, hubId, "last_processed", start.snapshotSeq());
    } else {
      IncarnationRows.rebase(
          connection,
          new Rebase(
              nodeId,
              hubId,
              before,
              start.snapshotSeq(),
              IncarnationRows.peerIncarnation(connection, nodeId, hubId),
              start.incarnation() == null ? null : start.incarnation().id(),
              "reloaded from a snapshot of "
                  + hubId
                  + " at its seq "
                  + start.snapshotSeq()
                  + " (load "
                  + start.loadId()
                  + ")",
              Instant.now()));
    }
    if (start.incarnation() != null) {
      IncarnationRows.adopt(connection, nodeId, hubId, start.incarnation());
    }
    List<String> asked = new ArrayList<>();
    for (String peer : PointerRows.peersBut(connection, nodeId, hubId)) {
      if (ReloadRows.read(connection, peer, nodeId) == null) {
        ReloadRows.put(
            connection,
            peer,
            nodeId,
            ReloadRows.DUE,
            nodeId
                + " reloaded its tables from "
                + hubId
                + " (load "
                + start.loadId()
                + "), and what that changed reaches "
                + peer
                + " by no delta: its rows are replaced by those of "
                + nodeId
                + ", its writes not pushed yet are kept");
        asked.add(peer);
      }
    }
    return asked;
  }

  /** The single number a query answers. */
  static long count(Connection connection, String sql) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      ValueLists.planEachRun(select); // see JdbcDeltaStore's last seq: a kept plan may scan all
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /** {@link #count(Connection, String)} with one text parameter. */
  static long count(Connection connection, String sql, String parameter) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, parameter);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private interface Work<T> {
    T run() throws SQLException;
  }

  /** Runs the work in one transaction, committed unless it returns false. */
  private static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    int isolation = connection.getTransactionIsolation();
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    try {
      T result = work.run();
      if (!Boolean.FALSE.equals(result)) {
        connection.commit();
      }
      return result;
    } finally {
      connection.rollback();
      connection.setTransactionIsolation(isolation);
      connection.setAutoCommit(autoCommit);
    }
  }
}
