package io.deltasync.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.console.demo.DemoSystem;
import io.deltasync.e2e.support.AppProcess;
import io.deltasync.e2e.support.Await;
import io.deltasync.e2e.support.Db;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A new node's initial load survives a SIGKILL: a hub (the packaged console, PostgreSQL) holds rows
 * written before the node joined; the node (the shop, MariaDB), a JVM of its own, starts loading
 * them and is killed in the middle of a table. Started again on its data, it resumes the same
 * snapshot after its last applied chunk, and ends with the hub's rows, each once.
 */
@Order(0)
class LoadResumesAfterKillIT {

  private static final String HUB = FaultSystem.HUB;
  private static final String NODE = "new-node";
  private static final int NOTES = 30_000;
  private static final int ITEMS = 1_000;

  @Test
  void aLoadKilledHalfWayResumesFromItsLastChunkAndEndsEqual() throws Exception {
    TestDatabase hubDb = TestDatabases.postgres("load_kill_hub");
    TestDatabase nodeDb = TestDatabases.mariadb("load_kill_node");
    String secret = FaultSystem.secret(24);
    int hubPort = FaultSystem.freePort();
    Map<String, String> hubProperties =
        FaultSystem.common(HUB, List.of(hubDb.jdbcUrl(), hubDb.user(), hubDb.password()));
    hubProperties.put("server.port", String.valueOf(hubPort));
    hubProperties.put("spring.liquibase.contexts", "hub");
    hubProperties.put("deltasync.cluster.enabled", "false");
    hubProperties.put(
        "deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    hubProperties.put("deltasync.ship.peers." + NODE + ".secret", secret);
    hubProperties.put("deltasync.console.users.admin.password", FaultSystem.secret(8));
    hubProperties.put("deltasync.console.users.admin.role", "ADMIN");
    int nodePort = FaultSystem.freePort();
    Map<String, String> nodeProperties =
        FaultSystem.common(NODE, List.of(nodeDb.jdbcUrl(), nodeDb.user(), nodeDb.password()));
    nodeProperties.put("server.port", String.valueOf(nodePort));
    nodeProperties.put("server.address", "127.0.0.1");
    nodeProperties.put("spring.liquibase.contexts", "client");
    nodeProperties.put("deltasync.node.upstream", HUB);
    nodeProperties.put("deltasync.cluster.enabled", "false");
    nodeProperties.put("deltasync.ship.upstream-url", "http://127.0.0.1:" + hubPort);
    nodeProperties.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/http-push.camel.yaml,"
            + "classpath:deltasync/examples/http-pull.camel.yaml");
    nodeProperties.put("deltasync.ship.peers." + HUB + ".secret", secret);
    nodeProperties.put("deltasync.load.chunk-rows", "500");
    nodeProperties.put("spring.autoconfigure.exclude", DemoSystem.WITHOUT_CONSOLE_SECURITY);
    AppProcess hub =
        new AppProcess(HUB, "io.deltasync.console.ConsoleApplication", hubProperties, hubPort);
    AppProcess node =
        new AppProcess(NODE, "io.deltasync.e2e.app.ShopApplication", nodeProperties, nodePort);
    Db hubRows = new Db(HUB, hubDb.dataSource());
    Db nodeRows = new Db(NODE, nodeDb.dataSource());
    try {
      hub.start().awaitUp(FaultSystem.START);
      seed(hubDb);

      node.start();
      Await.until(
          "the new node a quarter through loading note",
          Duration.ofMinutes(3),
          () -> loaded(nodeRows, "note") >= NOTES / 4);
      node.kill();
      long atKill = loaded(nodeRows, "note");
      String loadId = nodeRows.text("SELECT load_id FROM ds_load WHERE LOWER(table_name) = 'note'");
      assertThat(atKill).as("rows of note loaded when killed").isLessThan(NOTES);
      System.out.println("Load killed with " + atKill + " of " + NOTES + " notes applied");

      node.start().awaitUp(FaultSystem.START);
      Await.until(
          "the new node's load to end",
          Duration.ofMinutes(3),
          () ->
              nodeRows.number("SELECT COUNT(*) FROM ds_load WHERE state <> 'DONE'") == 0
                  && nodeRows.number("SELECT COUNT(*) FROM note") == NOTES);

      assertThat(nodeRows.text("SELECT load_id FROM ds_load WHERE LOWER(table_name) = 'note'"))
          .as("the load resumed the same snapshot")
          .isEqualTo(loadId);
      assertThat(loaded(nodeRows, "note"))
          .as("rows counted by the load: each chunk once")
          .isEqualTo(NOTES);
      String notes = "SELECT id, title, body, updated_by FROM note ORDER BY id";
      assertThat(nodeRows.rows(notes)).isEqualTo(hubRows.rows(notes));
      String items = "SELECT id, name, qty, price FROM item ORDER BY id";
      assertThat(nodeRows.rows(items)).isEqualTo(hubRows.rows(items));
      assertThat(nodeRows.number("SELECT COUNT(*) FROM ds_dead_letter")).isZero();
    } finally {
      node.stop();
      hub.stop();
    }
  }

  private static long loaded(Db db, String table) {
    try {
      return db.number(
          "SELECT COALESCE(SUM(rows_loaded), 0) FROM ds_load WHERE LOWER(table_name) = ?", table);
    } catch (IllegalStateException e) {
      return 0; // the node's tables are not there yet
    }
  }

  /** The hub's rows, written before the node joins: rows, not deltas. */
  private static void seed(TestDatabase hubDb) throws SQLException {
    try (Connection connection = hubDb.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement note =
          connection.prepareStatement(
              "INSERT INTO note (id, title, body, updated_by) VALUES (?, ?, ?, ?)")) {
        for (int id = 1; id <= NOTES; id++) {
          note.setLong(1, id);
          note.setString(2, "note " + id);
          note.setString(3, id % 3 == 0 ? null : "written at the hub before the node joined " + id);
          note.setString(4, HUB);
          note.addBatch();
          if (id % 1_000 == 0) {
            note.executeBatch();
          }
        }
        note.executeBatch();
      }
      try (PreparedStatement item =
          connection.prepareStatement(
              "INSERT INTO item (id, name, qty, price) VALUES (?, ?, ?, ?)")) {
        for (int id = 1; id <= ITEMS; id++) {
          item.setLong(1, id);
          item.setString(2, "item " + id);
          item.setInt(3, id * 7 % 1_000);
          item.setBigDecimal(4, BigDecimal.valueOf(id % 5_000, 2));
          item.addBatch();
        }
        item.executeBatch();
      }
      connection.commit();
    }
  }
}
