package io.deltasync.apply.internal;

import io.deltasync.apply.ApplierSessions;
import io.deltasync.conflict.internal.Dialect;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The database's own limit on how long each statement of a transaction may run, set for the
 * applier's transaction and taken away after it: PostgreSQL's {@code statement_timeout} ({@code SET
 * LOCAL}, which ends with the transaction), H2's {@code QUERY_TIMEOUT} and MariaDB's {@code
 * max_statement_time} (session settings, restored afterwards). It bounds every statement the
 * transaction runs, also those of conflict resolution that do not go through JDBC's own {@link
 * Statement#setQueryTimeout}. On PostgreSQL and MariaDB the transaction may also idle no longer
 * ({@code idle_in_transaction_session_timeout}, {@code idle_transaction_timeout}): a process that
 * stops in the middle of one (frozen, or paused for long) loses its session, and the row locks it
 * held go with it, instead of holding up another member of its hub until it runs again. A shorter
 * idle limit the session already has (set for the database, the role or the connection) is kept, so
 * an operator can bound a frozen hub member's hold below the failover timeout. On PostgreSQL the
 * transaction also carries the {@linkplain ApplierSessions#name() name} by which another member of
 * the node ends it when it takes over. Not thread-safe; one per transaction.
 */
public final class StatementTimeouts implements AutoCloseable {

  private final Connection connection;
  private final Dialect dialect;
  private final String restore;

  private StatementTimeouts(Connection connection, Dialect dialect, String restore) {
    this.connection = connection;
    this.dialect = dialect;
    this.restore = restore;
  }

  /** Limits each statement on the connection, which must be in a transaction, to the timeout. */
  public static StatementTimeouts limit(Connection connection, Dialect dialect, Duration timeout)
      throws SQLException {
    long millis = Math.max(1, timeout.toMillis());
    try (Statement statement = connection.createStatement()) {
      switch (dialect) {
        case POSTGRESQL -> {
          // one round trip; a shorter idle limit the session already has (set for the database
          // or the role) is kept; the name lets another member of the node end the session
          statement.execute(
              "SELECT set_config('application_name', '"
                  + ApplierSessions.name()
                  + "', true), set_config('statement_timeout', '"
                  + millis
                  + "', true), set_config('idle_in_transaction_session_timeout',"
                  + " (SELECT CASE WHEN setting::bigint > 0 AND setting::bigint < "
                  + millis
                  + " THEN setting ELSE '"
                  + millis
                  + "' END FROM pg_settings"
                  + " WHERE name = 'idle_in_transaction_session_timeout'), true)");
          return new StatementTimeouts(connection, dialect, null);
        }
        case H2 -> {
          statement.execute("SET QUERY_TIMEOUT " + millis);
          return new StatementTimeouts(connection, dialect, "SET QUERY_TIMEOUT 0");
        }
        case MARIADB -> {
          String previous = "0";
          String previousIdle = "0";
          try (ResultSet rows =
              statement.executeQuery("SELECT @@max_statement_time, @@idle_transaction_timeout")) {
            if (rows.next()) {
              previous = rows.getBigDecimal(1).toPlainString();
              previousIdle = rows.getBigDecimal(2).toPlainString();
            }
          } catch (SQLException e) {
            return new StatementTimeouts(connection, dialect, null); // MySQL: JDBC's timeout only
          }
          long idleSeconds = Math.max(1, (millis + 999) / 1000);
          long sessionIdle = new BigDecimal(previousIdle).longValue();
          if (sessionIdle > 0 && sessionIdle < idleSeconds) {
            idleSeconds = sessionIdle; // a shorter limit the session already has is kept
          }
          statement.execute(
              "SET SESSION max_statement_time = "
                  + millis / 1000.0
                  + ", SESSION idle_transaction_timeout = "
                  + idleSeconds);
          return new StatementTimeouts(
              connection,
              dialect,
              "SET SESSION max_statement_time = "
                  + previous
                  + ", SESSION idle_transaction_timeout = "
                  + previousIdle);
        }
        default -> {
          return new StatementTimeouts(connection, dialect, null);
        }
      }
    }
  }

  /** Whether the exception, or one it was caused by, says that a statement ran out of time. */
  public static boolean isTimeout(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTimeoutException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        String state = String.valueOf(sql.getSQLState());
        int code = sql.getErrorCode();
        if (state.equals("57014") // PostgreSQL: canceling statement due to statement timeout
            || code == 1969 // MariaDB: query execution was interrupted (max_statement_time)
            || code == 90051 // H2: statement was canceled or the session timed out
            || code == 57014) {
          return true;
        }
      }
    }
    return false;
  }

  /** Takes the session setting away again; nothing for PostgreSQL, whose setting ended. */
  @Override
  public void close() throws SQLException {
    if (restore == null || connection.isClosed()) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(restore);
    }
  }

  /** The dialect the limit was set for. */
  public Dialect dialect() {
    return dialect;
  }
}
