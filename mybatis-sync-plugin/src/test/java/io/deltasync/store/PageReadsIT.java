package io.deltasync.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.Delta;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.GrownDsDelta;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a page of deltas for a peer reads of a PostgreSQL {@code ds_delta} whose statistics are
 * older than its rows: a burst of deltas before autovacuum analyzed them (a hub's first minute,
 * clients back online at once), or after a purge left the table empty and autovacuum found it so.
 * The rows read are counted in the reading transaction ({@code pg_stat_xact_user_tables}): the
 * store reads through one connection the test holds open.
 */
class PageReadsIT {

  private static final int PAGE = 500;
  private static TestDatabase db;

  private Connection connection;
  private JdbcDeltaStore store;

  @BeforeAll
  static void startDatabase() {
    db = TestDatabases.postgres("page_reads").migrate();
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @BeforeEach
  void emptyDsDelta() throws SQLException {
    db.execute("DELETE FROM ds_delta", "VACUUM ds_delta"); // as autovacuum after a purge
    connection = db.dataSource().getConnection();
    store = new JdbcDeltaStore(holding(connection), "hub");
  }

  @AfterEach
  void release() throws SQLException {
    connection.close();
  }

  @Test
  void aPageReadsAboutItsOwnRowsWhereTheStatisticsAreOlderThanTheRows() throws SQLException {
    for (int run = 0; run < 10; run++) { // on the empty table, past pgjdbc's prepare threshold
      assertThat(store.pendingFor("node-b", 0, PAGE).isEmpty()).isTrue();
    }
    GrownDsDelta.fillWithoutAnalyzing(connection, 50_000);

    connection.setAutoCommit(false);
    Page page = store.pendingFor("node-b", 10_000, PAGE);
    long[] read = GrownDsDelta.reads(connection);
    connection.rollback();

    assertThat(page.deltas()).hasSize(PAGE);
    assertThat(page.deltas().get(0).seq()).isEqualTo(10_001);
    assertThat(page.scannedTo()).isEqualTo(10_500);
    assertThat(read[0]).as("rows of ds_delta read by a table scan").isZero();
    assertThat(read[1]).as("rows of ds_delta read by an index").isLessThanOrEqualTo(4L * PAGE);
  }

  @Test
  void aPageEndingInALargeTransactionReadsThatTransactionAndLittleMore() throws SQLException {
    GrownDsDelta.fillWithoutAnalyzing(connection, 50_000);
    db.execute("UPDATE ds_delta SET tx_id = 'large' WHERE seq BETWEEN 400 AND 3400");

    connection.setAutoCommit(false);
    Page page = store.pendingFor("node-b", 0, PAGE);
    long[] read = GrownDsDelta.reads(connection);
    connection.rollback();

    assertThat(page.deltas()).hasSize(3_400);
    assertThat(page.deltas().get(3_399).txId()).isEqualTo("large");
    assertThat(page.deltas().stream().mapToLong(Delta::seq).distinct().count()).isEqualTo(3_400);
    assertThat(page.scannedTo()).isEqualTo(3_400);
    assertThat(read[0]).as("rows of ds_delta read by a table scan").isZero();
    assertThat(read[1]).as("rows of ds_delta read by an index").isLessThan(3L * 3_400);
  }

  @Test
  void aPageFindsThePeersDeltasPastAGapAndPastRowsItDoesNotNeed() throws SQLException {
    GrownDsDelta.fillWithoutAnalyzing(connection, 20_000);
    db.execute(
        "DELETE FROM ds_delta WHERE seq BETWEEN 1 AND 5000", // purged: a gap
        "UPDATE ds_delta SET origin = 'node-b' WHERE seq BETWEEN 5001 AND 12000"); // its own

    Page page = store.pendingFor("node-b", 0, PAGE);
    Page rest = store.pendingFor("node-b", 19_800, PAGE);

    assertThat(page.deltas()).hasSize(PAGE);
    assertThat(page.deltas().get(0).seq()).isEqualTo(12_001);
    assertThat(page.scannedTo()).isEqualTo(12_500);
    assertThat(rest.deltas()).hasSize(200);
    assertThat(rest.scannedTo()).isEqualTo(20_000);
  }

  /** A data source that always hands out {@code connection}, which closing does not close. */
  private static DataSource holding(Connection connection) {
    Connection kept =
        (Connection)
            Proxy.newProxyInstance(
                PageReadsIT.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    return null;
                  }
                  try {
                    return method.invoke(connection, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return (DataSource)
        Proxy.newProxyInstance(
            PageReadsIT.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getConnection")) {
                return kept;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
