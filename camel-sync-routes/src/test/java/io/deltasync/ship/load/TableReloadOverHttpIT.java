package io.deltasync.ship.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.load.HubReloads;
import io.deltasync.load.LoadException;
import io.deltasync.load.TableReloadRequest;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.HttpPeer;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hub on PostgreSQL asks a client (H2, or MariaDB, running the shipped {@code http-pull} and
 * {@code http-push} routes) to reload one table ({@link HubReloads#requestTable}): the client hears
 * it in the answer to its next pull, reloads that table page by page while it keeps pulling the
 * hub's deltas, and reports it done, which ends the request on the hub. Its other tables and its
 * pointer are left alone. A client that cannot reload the table reports why, and the hub shows it.
 */
class TableReloadOverHttpIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  private static ShipNode hub;
  private static String url;
  private static HubReloads reloads;
  private static TestNode writer;
  private static HttpPeer writerPeer;

  @BeforeAll
  static void startHub() throws SQLException {
    TestDatabase db = TestDatabases.postgres("table_reload_hub");
    Map<String, Object> properties = ShipNode.baseProperties("hub", db);
    for (String client : new String[] {"node-w", "node-t", "node-m", "node-u"}) {
      properties.put("deltasync.ship.peers." + client + ".secret", secret(client));
    }
    properties.put("deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    hub = ShipNode.start("hub", db, properties);
    url = "http://localhost:" + hub.port();
    reloads = hub.app().getBean(HubReloads.class);
    // rows the hub held before any client joined: a client gets them by its initial load
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO audit_log (id, message) VALUES (?, ?)")) {
      for (long id = 1; id <= 10; id++) {
        insert.setLong(1, id);
        insert.setString(2, "entry " + id);
        insert.executeUpdate();
      }
    }
    writer = TestNode.start("node-w", TestDatabases.h2("table-reload-w")).withUpstream("hub");
    writerPeer = new HttpPeer("hub", url, "node-w", secret("node-w"));
    write(1, 300);
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void anH2ClientReloadsTheOneTableItsHubAsksForWhileItKeepsPulling() {
    reloadsTheTableItIsAskedFor("node-t", TestDatabases.h2("table-reload-t"), 1_000);
  }

  @Test
  void aMariaDbClientReloadsTheOneTableItsHubAsksForWhileItKeepsPulling() {
    reloadsTheTableItIsAskedFor("node-m", TestDatabases.mariadb("table_reload_m"), 2_000);
  }

  @Test
  void aClientThatCannotReloadTheTableSaysWhyAndTheHubShowsIt() {
    ShipNode client = client("node-u", TestDatabases.h2("table-reload-u"), "audit_log");
    try {
      awaitNotesEqualToHub(client);

      assertThat(reloads.requestTable("node-u", "audit_log", "operator (test)")).isTrue();

      Eventually.waitFor(
          WAIT,
          () -> reloads.tableReloads().stream().anyMatch(TableReloadRequest::failed),
          () -> "node-u reported nothing: " + reloads.tableReloads());
      TableReloadRequest failed = reloads.tableReloads().get(0);
      assertThat(failed.peer()).isEqualTo("node-u");
      assertThat(failed.table()).isEqualTo("audit_log");
      assertThat(failed.error()).contains("table audit_log is not replicated by this node");
      assertThat(reloads.tableReloadsDue("node-u")).as("not told again").isEmpty();
      write(3_000, 3_004);
      awaitNotesEqualToHub(client); // it kept pulling

      assertThat(reloads.cancelTable("node-u", "audit_log")).isTrue();
      assertThat(reloads.tableReloads()).isEmpty();
    } finally {
      client.close();
    }
  }

  @Test
  void theHubRefusesATableItDoesNotHoldAndAnUnknownClient() {
    assertThatThrownBy(() -> reloads.requestTable("node-w", "payroll", "operator (test)"))
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("hub does not replicate a table payroll")
        .hasMessageContaining("audit_log, note, ticket");
    assertThatThrownBy(() -> reloads.requestTable("node-z", "note", "operator (test)"))
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("node-z is not a known peer of hub");
    assertThat(reloads.tableReloads()).isEmpty();
  }

  private static void reloadsTheTableItIsAskedFor(String id, TestDatabase db, long base) {
    ShipNode client = client(id, db, null);
    try {
      awaitNotesEqualToHub(client);
      assertThat(NotesSchema.count(client.db().dataSource(), "SELECT COUNT(*) FROM audit_log"))
          .as("loaded when it joined")
          .isEqualTo(10);
      List<String> loads = loadIds(client);
      long pointer = client.pointers("hub").lastProcessed();
      // behind DeltaSync's back: rows lost, changed and added in both tables
      client.execute("DELETE FROM note WHERE id <= 120");
      client.execute("UPDATE note SET title = 'damaged' WHERE id = 200");
      client.execute(
          "INSERT INTO note (id, title, done, amount) VALUES ("
              + (base + 999)
              + ", 'stray', FALSE, 1.50)");
      client.execute("DELETE FROM audit_log WHERE id <= 3");

      assertThat(reloads.requestTable(id, "NOTE", "operator (test)")).isTrue();
      assertThat(reloads.requestTable(id, "note", "operator (test)")).as("due already").isFalse();
      write(base, base + 19); // the hub's deltas keep coming while the client reloads

      Eventually.waitFor(
          WAIT,
          () -> reloads.tableReloads().isEmpty(),
          () -> id + " has not reported its reload: " + reloads.tableReloads());
      awaitNotesEqualToHub(client);
      assertThat(
              NotesSchema.count(
                  client.db().dataSource(), "SELECT COUNT(*) FROM note WHERE id = " + (base + 999)))
          .as("a row the hub does not hold is deleted")
          .isZero();
      assertThat(NotesSchema.count(client.db().dataSource(), "SELECT COUNT(*) FROM audit_log"))
          .as("a table it was not asked to reload is left as it was")
          .isEqualTo(7);
      assertThat(loadIds(client)).as("no load: the pointer stays").isEqualTo(loads);
      assertThat(client.pointers("hub").lastProcessed())
          .as("moved on with the hub's deltas, never back")
          .isGreaterThan(pointer);
      assertThat(NotesSchema.count(client.db().dataSource(), "SELECT COUNT(*) FROM ds_dead_letter"))
          .isZero();
    } finally {
      client.close();
    }
  }

  private static ShipNode client(String id, TestDatabase db, String excluded) {
    Map<String, Object> properties = ShipNode.baseProperties(id, db);
    properties.put("deltasync.node.upstream", "hub");
    properties.put("deltasync.ship.upstream-url", url);
    properties.put("deltasync.ship.peers.hub.secret", secret(id));
    if (excluded != null) {
      properties.put("deltasync.capture.exclude-tables", excluded);
    }
    properties.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/http-pull.camel.yaml,"
            + "classpath:deltasync/examples/http-push.camel.yaml");
    return ShipNode.start(id, db, properties);
  }

  private static void awaitNotesEqualToHub(ShipNode client) {
    Eventually.waitFor(
        WAIT,
        () -> client.writer().notes().equals(hub.writer().notes()),
        () ->
            client.id()
                + " holds "
                + client.writer().notes().size()
                + " notes, the hub "
                + hub.writer().notes().size());
  }

  private static List<String> loadIds(ShipNode client) {
    List<String> ids = new ArrayList<>();
    NotesSchema.query(
        client.db().dataSource(),
        "SELECT load_id FROM ds_load ORDER BY table_name",
        row -> ids.add(row.getString(1)));
    return ids;
  }

  private static void write(long from, long to) {
    for (long id = from; id <= to; id++) {
      long note = id;
      writer.inTransaction(notes -> notes.insert(new Note(note, "note " + note)));
    }
    writer.node().sync(writerPeer);
  }

  private static String secret(String client) {
    return client + "-and-hub-table-reload-secret";
  }
}
