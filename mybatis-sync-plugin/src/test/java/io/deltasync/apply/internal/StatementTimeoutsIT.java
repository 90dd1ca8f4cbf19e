package io.deltasync.apply.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.conflict.internal.Dialect;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An applier's transaction on PostgreSQL and MariaDB is bounded while it idles too: a process that
 * stops in the middle of one (frozen, or paused for long) loses its session after the timeout, and
 * the row locks it held go with it, so another hub member can go on applying.
 */
class StatementTimeoutsIT {

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"postgresql", "mariadb"})
  void anApplierTransactionLeftIdleLosesItsSessionAndItsLocks(String kind) throws Exception {
    frozenTransactionLosesItsLocks(kind, null, Duration.ofSeconds(1));
  }

  /**
   * A shorter idle limit the session already has (an operator's setting for the hub's database or
   * role, below the failover timeout) is kept, not raised to the statement timeout.
   */
  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"postgresql", "mariadb"})
  void aShorterIdleLimitOfTheSessionIsKept(String kind) throws Exception {
    frozenTransactionLosesItsLocks(
        kind,
        kind.equals("postgresql")
            ? "SET idle_in_transaction_session_timeout = 1000"
            : "SET SESSION idle_transaction_timeout = 1",
        Duration.ofSeconds(30));
  }

  private static void frozenTransactionLosesItsLocks(
      String kind, String sessionSetting, Duration statementTimeout) throws Exception {
    boolean postgres = kind.equals("postgresql");
    TestDatabase db =
        postgres ? TestDatabases.postgres("idle_applier") : TestDatabases.mariadb("idle_applier");
    db.execute("CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL)");
    db.execute("INSERT INTO counter VALUES (1, 0)");
    try (Connection frozen = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Connection other = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      if (sessionSetting != null) {
        try (Statement set = frozen.createStatement()) {
          set.execute(sessionSetting);
        }
      }
      frozen.setAutoCommit(false);
      StatementTimeouts.limit(
          frozen, postgres ? Dialect.POSTGRESQL : Dialect.MARIADB, statementTimeout);
      try (Statement update = frozen.createStatement()) {
        update.executeUpdate("UPDATE counter SET n = n + 1 WHERE id = 1"); // holds the row lock
      }
      Thread.sleep(2_500); // the process stops here, its transaction open

      other.setAutoCommit(false);
      try (Statement update = other.createStatement()) {
        update.setQueryTimeout(10);
        assertThat(update.executeUpdate("UPDATE counter SET n = n + 10 WHERE id = 1")).isEqualTo(1);
      }
      other.commit();
      assertThatThrownBy(
              () -> {
                try (Statement select = frozen.createStatement()) {
                  select.executeQuery("SELECT n FROM counter");
                }
              })
          .isInstanceOf(SQLException.class);
      try (Statement select = other.createStatement();
          ResultSet row = select.executeQuery("SELECT n FROM counter WHERE id = 1")) {
        row.next();
        assertThat(row.getInt(1)).as("only the other session's change").isEqualTo(10);
      }
    } finally {
      db.close();
    }
  }
}
