package io.deltasync.ship.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.load.HubReloads;
import io.deltasync.load.TableReloadRequest;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.verify.RepairReport;
import io.deltasync.verify.Verifier;
import io.deltasync.verify.VerifyReport;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub's table reload request ({@link HubReloads#requestTable}) reaches clients that reach it by a
 * queue or a folder, and their {@link Verifier} works through the same route: a hub on PostgreSQL
 * with its embedded Artemis broker and a drop folder; an H2 client running the shipped {@code
 * jms-load}, {@code jms-send} and {@code jms-receive} files and a MariaDB client running {@code
 * file-load}, {@code file-send} and {@code file-receive}. Each asks its hub which tables to reload
 * through its load route, reloads the one asked for while the hub's deltas keep coming, and reports
 * it done, which ends the request on the hub; its other tables and its pointer are left alone. A
 * client that cannot reload the table reports why, and the hub shows it.
 */
class TableReloadOverQueuesIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir static Path brokerData;
  @TempDir static Path folder;
  private static String brokerUrl;
  private static ShipNode hub;
  private static HubReloads reloads;

  @BeforeAll
  static void startHub() throws IOException, SQLException {
    try (ServerSocket socket = new ServerSocket(0)) {
      brokerUrl = "tcp://127.0.0.1:" + socket.getLocalPort();
    }
    TestDatabase db = TestDatabases.postgres("table_reload_queues_hub");
    Map<String, Object> properties = ShipNode.baseProperties("hub", db);
    for (String client : new String[] {"node-j", "node-f", "node-u"}) {
      properties.put("deltasync.ship.peers." + client + ".secret", secret(client));
    }
    properties.put("spring.artemis.mode", "embedded");
    properties.put("spring.artemis.embedded.enabled", "true");
    properties.put("spring.artemis.embedded.persistent", "true");
    properties.put("spring.artemis.embedded.data-directory", brokerData.toString());
    properties.put("deltasync.ship.broker-acceptor", brokerUrl);
    properties.put("deltasync.ship.folder", folder.toString());
    properties.put("deltasync.ship.routes", "classpath:queues/hub.camel.yaml");
    hub = ShipNode.start("hub", db, properties);
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
    write(1, 300);
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void anH2ClientOverJmsReloadsTheOneTableItsHubAsksForAndVerifiesThroughItsLoadRoute() {
    ShipNode client = overJms("node-j", TestDatabases.h2("table-reload-queues-j"), null);
    try {
      reloadsTheTableItIsAskedFor(client, 1_000);
      verifiesAndRepairsThroughItsLoadRoute(client);
    } finally {
      client.close();
    }
  }

  @Test
  void aMariaDbClientOverFilesReloadsTheOneTableItsHubAsksForAndVerifiesThroughItsLoadRoute() {
    ShipNode client = overFiles("node-f", TestDatabases.mariadb("table_reload_queues_f"));
    try {
      reloadsTheTableItIsAskedFor(client, 2_000);
      verifiesAndRepairsThroughItsLoadRoute(client);
    } finally {
      client.close();
    }
  }

  @Test
  void aClientOverJmsThatCannotReloadTheTableSaysWhyAndTheHubShowsIt() {
    ShipNode client = overJms("node-u", TestDatabases.h2("table-reload-queues-u"), "audit_log");
    try {
      awaitNotesEqualToHub(client);

      assertThat(reloads.requestTable("node-u", "audit_log", "operator (test)")).isTrue();

      Eventually.waitFor(
          WAIT,
          () -> requestsOf("node-u").stream().anyMatch(TableReloadRequest::failed),
          () -> "node-u reported nothing: " + requestsOf("node-u"));
      TableReloadRequest failed = requestsOf("node-u").get(0);
      assertThat(failed.table()).isEqualTo("audit_log");
      assertThat(failed.error()).contains("table audit_log is not replicated by this node");
      assertThat(reloads.tableReloadsDue("node-u")).as("not told again").isEmpty();
      write(3_000, 3_004);
      awaitNotesEqualToHub(client); // its batches kept coming

      assertThat(reloads.cancelTable("node-u", "audit_log")).isTrue();
      assertThat(requestsOf("node-u")).isEmpty();
    } finally {
      client.close();
    }
  }

  private static void reloadsTheTableItIsAskedFor(ShipNode client, long base) {
    String id = client.id();
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
    write(base, base + 19); // the hub's deltas keep coming while the client reloads

    Eventually.waitFor(
        WAIT,
        () -> requestsOf(id).isEmpty(),
        () -> id + " has not reported its reload: " + requestsOf(id));
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
  }

  /** The client's Verifier finds the three audit_log rows it lost and repairs them. */
  private static void verifiesAndRepairsThroughItsLoadRoute(ShipNode client) {
    Verifier verifier = client.app().getBean(Verifier.class);
    VerifyReport report = verifier.verify("audit_log");
    assertThat(report.inSync()).isFalse();
    assertThat(report.rows()).hasSize(3);

    RepairReport repaired = verifier.repair(report);

    assertThat(repaired.written()).isEqualTo(3);
    assertThat(verifier.verify("audit_log").inSync()).isTrue();
    assertThat(NotesSchema.count(client.db().dataSource(), "SELECT COUNT(*) FROM audit_log"))
        .isEqualTo(10);
  }

  private static ShipNode overJms(String id, TestDatabase db, String excluded) {
    Map<String, Object> properties = clientProperties(id, db, excluded);
    properties.put("spring.artemis.mode", "native");
    properties.put("spring.artemis.broker-url", brokerUrl);
    properties.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/jms-load.camel.yaml,"
            + "classpath:deltasync/examples/jms-send.camel.yaml,"
            + "classpath:deltasync/examples/jms-receive.camel.yaml");
    return ShipNode.start(id, db, properties);
  }

  private static ShipNode overFiles(String id, TestDatabase db) {
    Map<String, Object> properties = clientProperties(id, db, null);
    properties.put("deltasync.ship.folder", folder.toString());
    properties.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/file-load.camel.yaml,"
            + "classpath:deltasync/examples/file-send.camel.yaml,"
            + "classpath:deltasync/examples/file-receive.camel.yaml");
    return ShipNode.start(id, db, properties);
  }

  private static Map<String, Object> clientProperties(String id, TestDatabase db, String excluded) {
    Map<String, Object> properties = ShipNode.baseProperties(id, db);
    properties.put("deltasync.node.upstream", "hub");
    properties.put("deltasync.ship.peers.hub.secret", secret(id));
    if (excluded != null) {
      properties.put("deltasync.capture.exclude-tables", excluded);
    }
    return properties;
  }

  private static List<TableReloadRequest> requestsOf(String peer) {
    return reloads.tableReloads().stream().filter(r -> r.peer().equals(peer)).toList();
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

  /** Notes the hub writes through its own capturing mapper: its deltas, which every client gets. */
  private static void write(long from, long to) {
    for (long id = from; id <= to; id++) {
      long note = id;
      hub.writer().inTransaction(notes -> notes.insert(new Note(note, "note " + note)));
    }
  }

  private static String secret(String client) {
    return client + "-and-hub-table-reload-queues-secret";
  }
}
