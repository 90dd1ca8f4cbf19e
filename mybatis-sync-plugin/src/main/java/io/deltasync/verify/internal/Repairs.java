package io.deltasync.verify.internal;

import io.deltasync.conflict.Row;
import io.deltasync.conflict.internal.Dialect;
import io.deltasync.conflict.internal.RowSql;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.store.internal.PointerRows;
import io.deltasync.verify.HubRows;
import io.deltasync.verify.HubVerifier;
import io.deltasync.verify.KeyRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Makes one range of a node's table equal to the hub's rows, in one transaction on the node's own
 * connection with plain JDBC (nothing is captured). Stateless.
 *
 * <p>Before the hub's rows are read, {@link #mark} notes the node's highest local seq while holding
 * the node's pointer row for the hub, which the applier locks for each of the hub's batches: every
 * delta the node stores from then on has a higher seq. The repair transaction holds the same lock,
 * so no pulled delta lands on the range meanwhile, and after writing it rolls back instead of
 * committing when a delta on one of the range's rows may be newer than the hub's rows: one the node
 * received after the mark (whatever its hub seq: the hub's transactions may commit out of seq
 * order), or one the node wrote itself that the hub had not acknowledged before its rows were read
 * (seq above {@code ownAcknowledged}). Writing first and checking after means a local write racing
 * the repair either committed before the check, and is seen, or waits for the repair's row locks
 * and lands after it.
 */
public final class Repairs {

  /** Rows written and deleted by one repaired range. */
  public record Done(int written, int deleted) {}

  private Repairs() {}

  /**
   * The node's highest local seq, read while no batch from the hub is being applied; call it before
   * reading the hub's rows.
   */
  public static long mark(Connection connection, String nodeId, String hubId) throws SQLException {
    PointerRows.ensure(connection, nodeId, hubId);
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (PreparedStatement max = connection.prepareStatement("SELECT MAX(seq) FROM ds_delta")) {
      PointerRows.select(connection, nodeId, hubId, true);
      try (ResultSet row = max.executeQuery()) {
        row.next();
        long seq = row.getLong(1);
        connection.commit();
        return seq;
      }
    } finally {
      connection.rollback();
      connection.setAutoCommit(autoCommit);
    }
  }

  /**
   * Repairs the range; null when a newer delta raced it and nothing changed.
   *
   * <p>A row of the node's range that the hub's rows of the range lack is deleted only once the hub
   * said it holds no such key: the range is the node's, and where its database orders text keys
   * otherwise than the hub's, rows of the hub's other ranges fall in it. Such a row is kept as it
   * is; the range of the hub's rows that holds it writes it.
   *
   * @param marked the node's {@link #mark} taken before the hub's rows were read
   * @param held which of the node's keys the hub holds ({@link io.deltasync.verify.VerifyHub#held})
   */
  public static Done range(
      Connection connection,
      String nodeId,
      String hubId,
      TableShape shape,
      KeyRange range,
      HubRows hubRows,
      long marked,
      long ownAcknowledged,
      Function<List<List<String>>, Set<List<String>>> held)
      throws SQLException {
    PointerRows.ensure(connection, nodeId, hubId);
    boolean autoCommit = connection.getAutoCommit();
    int isolation = connection.getTransactionIsolation();
    connection.setAutoCommit(false);
    // read what other transactions committed, not a snapshot from the first read
    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    try {
      PointerRows.select(connection, nodeId, hubId, true);
      Map<List<String>, Row> node =
          RowDiffs.byKey(
              shape, RangeReads.rows(connection, shape, range, HubVerifier.MAX_RANGE_ROWS));
      Set<String> keys = new HashSet<>();
      node.values().forEach(row -> keys.add(rowKey(shape, row)));
      Dialect dialect = Dialect.of(connection);
      int written = 0;
      List<Row> toWrite = new ArrayList<>();
      for (Row hubRow : hubRows.rows()) {
        keys.add(rowKey(shape, hubRow));
        Row nodeRow = node.remove(RowText.matchKey(hubRow, shape.keyColumns()));
        if (nodeRow == null || !RowText.of(nodeRow).equals(RowText.of(hubRow))) {
          toWrite.add(hubRow);
        }
      }
      if (!node.isEmpty()) {
        List<List<String>> extras = new ArrayList<>(node.keySet());
        for (int from = 0; from < extras.size(); from += HubVerifier.MAX_KEYS) {
          node.keySet()
              .removeAll(
                  held.apply(
                      extras.subList(from, Math.min(extras.size(), from + HubVerifier.MAX_KEYS))));
        }
      }
      for (Row extra : node.values()) {
        RowSql.delete(
            connection, shape.table(), shape.keyColumns(), extra.params(shape.keyColumns()));
      }
      for (Row row : toWrite) {
        RowSql.upsert(connection, dialect, shape.table(), shape.keyColumns(), row);
        written++;
      }
      if (raced(connection, hubId, shape.table(), marked, ownAcknowledged, keys)) {
        connection.rollback();
        return null;
      }
      connection.commit();
      return new Done(written, node.size());
    } finally {
      connection.rollback();
      connection.setTransactionIsolation(isolation);
      connection.setAutoCommit(autoCommit);
    }
  }

  private static String rowKey(TableShape shape, Row row) {
    return DeltaCodec.encodeRowKey(row.key(shape.keyColumns()));
  }

  /**
   * Whether a delta newer than the hub's rows touches one of the keys, or no single row: one stored
   * after the hub's rows were asked for, or one this node sends the hub that the hub had not
   * acknowledged (its own, or a client's it passes on: every delta not received from the hub).
   */
  private static boolean raced(
      Connection connection,
      String hubId,
      String table,
      long marked,
      long ownAcknowledged,
      Set<String> keys)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT row_key FROM ds_delta WHERE LOWER(table_name) = ? AND (seq > ?"
                + " OR ((received_from IS NULL OR received_from <> ?) AND seq > ?))")) {
      select.setString(1, table);
      select.setLong(2, marked);
      select.setString(3, hubId);
      select.setLong(4, ownAcknowledged);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String rowKey = rows.getString(1);
          if (rowKey == null || keys.contains(rowKey)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
