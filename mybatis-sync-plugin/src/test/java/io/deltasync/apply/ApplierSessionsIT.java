package io.deltasync.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.apply.internal.StatementTimeouts;
import io.deltasync.conflict.internal.Dialect;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A member that takes over its node ends the sessions in which other processes apply, on
 * PostgreSQL: the row locks a frozen former leader held go at once, its transaction rolls back, and
 * neither this process's applies nor the application's own transactions are touched.
 */
class ApplierSessionsIT {

  @Test
  void anotherProcesssApplyIsEndedAndItsLocksGo() throws Exception {
    TestDatabase db = TestDatabases.postgres("applier_sessions");
    db.execute("CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL)");
    db.execute("INSERT INTO counter VALUES (1, 0), (2, 0), (3, 0)");
    try (Connection former = connect(db);
        Connection own = connect(db);
        Connection application = connect(db);
        Connection next = connect(db)) {
      former.setAutoCommit(false);
      query(former, "SELECT set_config('application_name', 'deltasync-apply 0123456789ab', true)");
      update(former, "UPDATE counter SET n = n + 1 WHERE id = 1"); // then it froze
      int formerPid = pid(former);
      own.setAutoCommit(false);
      StatementTimeouts.limit(own, Dialect.POSTGRESQL, Duration.ofSeconds(30));
      update(own, "UPDATE counter SET n = n + 1 WHERE id = 2");
      application.setAutoCommit(false);
      update(application, "UPDATE counter SET n = n + 1 WHERE id = 3");

      assertThat(ApplierSessions.endOthers(db.dataSource())).containsExactly(formerPid);

      next.setAutoCommit(false);
      try (Statement update = next.createStatement()) {
        update.setQueryTimeout(5);
        assertThat(update.executeUpdate("UPDATE counter SET n = n + 10 WHERE id = 1")).isEqualTo(1);
      }
      next.commit();
      assertThatThrownBy(() -> query(former, "SELECT 1")).isInstanceOf(SQLException.class);
      own.commit();
      application.commit();
      assertThat(query(own, "SELECT string_agg(n::text, ',' ORDER BY id) FROM counter"))
          .as("the former leader's change rolled back, the others kept")
          .isEqualTo("10,1,1");
      assertThat(query(own, "SELECT current_setting('application_name')"))
          .as("the name is the applier transaction's only")
          .isNotEqualTo(ApplierSessions.name());
      assertThat(ApplierSessions.endOthers(db.dataSource())).isEmpty();
    } finally {
      db.close();
    }
  }

  @Test
  void onOtherDatabasesNothingIsEnded() throws Exception {
    TestDatabase db = TestDatabases.h2("applier_sessions");
    try {
      assertThat(ApplierSessions.endOthers(db.dataSource())).isEmpty();
    } finally {
      db.close();
    }
  }

  private static Connection connect(TestDatabase db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }

  private static int pid(Connection connection) throws SQLException {
    return Integer.parseInt(query(connection, "SELECT pg_backend_pid()"));
  }

  private static void update(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    }
  }

  private static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }
}
