package io.deltasync.store.internal;

import io.deltasync.delta.Delta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's fastest way to end a captured transaction: the deltas' insert (multi-row, see {@link
 * PostgresDeltaInsert}), the seq lock and the COMMIT as one prepared statement, which the
 * PostgreSQL driver (pgjdbc) sends in one round trip, so a transaction that captures pays no round
 * trip over one that does not.
 *
 * <p>Only for a caller that owns the commit (plain MyBatis with a {@code JdbcTransaction}, whose
 * own {@code Connection.commit()} then finds nothing to do): in a transaction that others take part
 * in (Spring), committing here would cut their work off. Each insert locks the {@code ds_delta} row
 * of {@code ds_lock} before it draws a seq, as {@link DeltaRows#insert} does. Without that row the
 * insert fails on a NOT NULL column instead of inserting nothing, so the COMMIT becomes a rollback
 * and no change is ever committed without its delta.
 */
public final class CommittingInsert {

  /** Up to this many deltas go in one call; a larger transaction takes the batch path. */
  static final int MAX_DELTAS = 256;

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
    try (PreparedStatement statement =
        connection.prepareStatement(
            PostgresDeltaInsert.sql(deltas.size(), upstream != null, true))) {
      PostgresDeltaInsert.bind(statement, deltas, null, now, nodeId, upstream);
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
