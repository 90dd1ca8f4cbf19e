package io.deltasync.store.internal;

import io.deltasync.delta.Delta;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * PostgreSQL's delta insert: all the deltas of one call as multi-row {@code INSERT ... SELECT}
 * statements of up to {@link #CHUNK} rows, sent together as one prepared statement (pgjdbc runs a
 * prepared statement's several statements in one round trip), instead of one execution per delta.
 * Each statement takes the seq lock in a CTE before the insert draws seqs, and the rows draw them
 * in the deltas' order ({@code ORDER BY} the row's position). A captured delta's basis is read once
 * per statement from the node's pointer, not once per row.
 *
 * <p>Parameters: the node and its upstream when the basis is read (two), the insert time (one),
 * then per delta its 12 values (13 with the basis bound): see {@link #bind}.
 */
final class PostgresDeltaInsert {

  /** Up to this many rows go in one statement (about 900 parameters). */
  static final int CHUNK = 64;

  private static final String BASIS_CTE =
      ", basis AS (SELECT COALESCE((SELECT last_processed FROM ds_node_pointer"
          + " WHERE node_id = ? AND peer_id = ?), 0) AS value)";

  /**
   * Up to this many deltas go in one prepared statement (about 13,000 parameters; pgjdbc takes at
   * most 65,535): a caller splits larger lists.
   */
  static final int MAX_PER_CALL = 16 * CHUNK;

  /** Calls of up to this many deltas keep their SQL (larger ones build it each time). */
  private static final int CACHED = 4 * CHUNK;

  /** The SQL of one call, by rows, basis read or bound, and whether it commits. */
  private static final ConcurrentMap<String, String> SQL = new ConcurrentHashMap<>();

  private PostgresDeltaInsert() {}

  /**
   * The SQL inserting {@code rows} deltas.
   *
   * @param basisFromPointer whether the deltas' basis is read from the node's pointer
   * @param committing whether a COMMIT follows; the inserts then do not fail when the lock row is
   *     missing but insert a null delta id, which fails the NOT NULL column, so the COMMIT becomes
   *     a rollback (see {@link CommittingInsert}); otherwise they insert nothing then, which the
   *     caller sees in the count
   */
  static String sql(int rows, boolean basisFromPointer, boolean committing) {
    if (rows > CACHED) {
      return build(rows, basisFromPointer, committing);
    }
    return SQL.computeIfAbsent(
        rows + (basisFromPointer ? "b" : "") + (committing ? "c" : ""),
        key -> build(rows, basisFromPointer, committing));
  }

  private static String build(int rows, boolean basisFromPointer, boolean committing) {
    StringBuilder sql = new StringBuilder();
    for (int from = 0; from < rows; from += CHUNK) {
      sql.append(statement(Math.min(CHUNK, rows - from), basisFromPointer, committing))
          .append("; ");
    }
    if (committing) {
      sql.append("COMMIT");
    } else {
      sql.setLength(sql.length() - 2);
    }
    return sql.toString();
  }

  private static String statement(int rows, boolean basisFromPointer, boolean committing) {
    StringBuilder sql =
        new StringBuilder(
            "WITH seq_lock AS (SELECT name FROM ds_lock WHERE name = 'ds_delta' FOR UPDATE)");
    if (basisFromPointer) {
      sql.append(BASIS_CTE);
    }
    sql.append(' ')
        .append(DeltaRows.INSERT_COLUMNS)
        .append(" SELECT ")
        .append(committing ? "CASE WHEN seq_lock.name IS NULL THEN NULL ELSE d.id END" : "d.id")
        .append(", d.origin, d.received_from, CAST(d.source_seq AS BIGINT), d.tx_id,")
        .append(" CAST(d.captured_at AS BIGINT), ")
        .append(basisFromPointer ? "basis.value" : "CAST(d.basis AS BIGINT)")
        .append(", d.statement_id, d.kind, d.table_name, d.row_key, d.sql_text, d.params,")
        .append(" CAST(? AS TIMESTAMP) FROM (VALUES ");
    String marks = basisFromPointer ? "?, ".repeat(11) + "?" : "?, ".repeat(12) + "?";
    for (int row = 1; row <= rows; row++) {
      sql.append(row == 1 ? "" : ", ")
          .append('(')
          .append(row)
          .append(", ")
          .append(marks)
          .append(')');
    }
    sql.append(") AS d (n, id, origin, received_from, source_seq, tx_id, captured_at, ")
        .append(basisFromPointer ? "" : "basis, ")
        .append("statement_id, kind, table_name, row_key, sql_text, params)")
        .append(committing ? " LEFT JOIN seq_lock ON TRUE" : " CROSS JOIN seq_lock")
        .append(basisFromPointer ? " CROSS JOIN basis" : "")
        .append(" ORDER BY d.n");
    return sql.toString();
  }

  /**
   * Binds the parameters of {@link #sql}: chunk by chunk, the node and its upstream (when {@code
   * upstream} is given), the insert time, then each delta's values.
   */
  static void bind(
      PreparedStatement insert,
      List<Delta> deltas,
      String receivedFrom,
      Timestamp now,
      String nodeId,
      String upstream)
      throws SQLException {
    int i = 0;
    for (int from = 0; from < deltas.size(); from += CHUNK) {
      if (upstream != null) {
        insert.setString(++i, nodeId);
        insert.setString(++i, upstream);
      }
      insert.setTimestamp(++i, now);
      for (Delta delta : deltas.subList(from, Math.min(deltas.size(), from + CHUNK))) {
        i = DeltaRows.bindLeading(insert, i, delta, receivedFrom);
        if (upstream == null) {
          insert.setLong(++i, delta.basis());
        }
        i = DeltaRows.bindTrailing(insert, i, delta);
      }
    }
  }

  /**
   * Runs {@link #sql} bound by {@link #bind} and returns how many rows its inserts inserted
   * together.
   */
  static int execute(PreparedStatement insert) throws SQLException {
    boolean resultSet = insert.execute();
    int inserted = 0;
    while (true) {
      int count = insert.getUpdateCount();
      if (!resultSet && count == -1) {
        return inserted;
      }
      if (!resultSet) {
        inserted += count;
      }
      resultSet = insert.getMoreResults();
    }
  }
}
