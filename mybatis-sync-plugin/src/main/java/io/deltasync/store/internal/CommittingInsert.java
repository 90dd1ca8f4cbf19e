package io.deltasync.store.internal;

import io.deltasync.delta.Delta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's fastest way to end a captured transaction: the deltas' insert, the seq lock and the
 * COMMIT as one prepared statement, which the PostgreSQL driver (pgjdbc) sends in one round trip,
 * so a transaction that captures pays no round trip over one that does not.
 *
 * <p>Only for a caller that owns the commit (plain MyBatis with a {@code JdbcTransaction}, whose
 * own {@code Connection.commit()} then finds nothing to do): in a transaction that others take part
 * in (Spring), committing here would cut their work off. Each insert locks the {@code ds_delta} row
 * of {@code ds_lock} before it draws a seq, as {@link DeltaRows#insert} does. Without that row the
 * insert fails on a NOT NULL column instead of inserting nothing, so the COMMIT becomes a rollback
 * and no change is ever committed without its delta.
 */
public final class CommittingInsert {

  /** Up to this many deltas go in one statement; a larger transaction takes the batch path. */
  static final int MAX_DELTAS = 16;

  /** The statements for 1..{@link #MAX_DELTAS} deltas, with the basis bound and read. */
  private static final String[] SQL = statements(false);

  private static final String[] SQL_BASIS_FROM_POINTER = statements(true);

  private static String[] statements(boolean basisFromPointer) {
    // the first value (delta_id, NOT NULL) is null when there is no lock row: nothing is inserted
    String values = DeltaRows.values(basisFromPointer, true).substring("?".length());
    String one =
        "WITH seq_lock AS (SELECT name FROM ds_lock WHERE name = 'ds_delta' FOR UPDATE) "
            + DeltaRows.INSERT_COLUMNS
            + " SELECT CASE WHEN seq_lock.name IS NULL THEN NULL ELSE ? END"
            + values
            + " FROM (VALUES (1)) AS one LEFT JOIN seq_lock ON TRUE; ";
    String[] sql = new String[MAX_DELTAS + 1];
    for (int n = 1; n <= MAX_DELTAS; n++) {
      sql[n] = one.repeat(n) + "COMMIT";
    }
    return sql;
  }

  private CommittingInsert() {}

  /**
   * Inserts captured deltas and commits the connection's transaction in one statement, where the
   * database and driver allow it; returns false, having done nothing, elsewhere or when there are
   * more than {@link #MAX_DELTAS}.
   *
   * @throws SQLException when the insert or the commit failed; the transaction is then rolled back
   */
  public static boolean insertAndCommit(Connection connection, List<Delta> deltas)
      throws SQLException {
    return insertAndCommit(connection, deltas, null, null);
  }

  /**
   * As {@link #insertAndCommit(Connection, List)}, for deltas captured here: with an {@code
   * upstream}, each one's basis is read from the pointer of {@code nodeId} for it by the insert
   * (see {@link DeltaRows#insertCaptured}).
   */
  public static boolean insertAndCommit(
      Connection connection, List<Delta> deltas, String nodeId, String upstream)
      throws SQLException {
    if (deltas.isEmpty() || deltas.size() > MAX_DELTAS || !supports(connection)) {
      return false;
    }
    Timestamp now = new Timestamp(System.currentTimeMillis());
    String[] sql = upstream == null ? SQL : SQL_BASIS_FROM_POINTER;
    try (PreparedStatement statement = connection.prepareStatement(sql[deltas.size()])) {
      int bound = 0;
      for (Delta delta : deltas) {
        bound += DeltaRows.bind(statement, bound, delta, null, now, nodeId, upstream);
      }
      statement.execute();
    } catch (SQLException e) {
      if ("23502".equals(e.getSQLState())) { // not_null_violation: only the lock guard makes one
        SQLException missing = DeltaRows.missingLockRow();
        missing.initCause(e);
        throw missing;
      }
      throw e;
    }
    return true;
  }

  /** PostgreSQL through pgjdbc, which runs a prepared statement's several statements together. */
  static boolean supports(Connection connection) throws SQLException {
    var metaData = connection.getMetaData();
    return metaData.getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgresql")
        && metaData.getDriverName().startsWith("PostgreSQL JDBC");
  }
}
