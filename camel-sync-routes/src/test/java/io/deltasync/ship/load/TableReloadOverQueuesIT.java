package io.deltasync.ship.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.verify.RepairReport;
import io.deltasync.verify.Verifier;
import io.deltasync.verify.VerifyReport;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub's table reload request ({@code HubReloads.requestTable}) reaches clients that reach it by a
 * queue or a folder (see {@link TableReloadScenarios}), and their {@link Verifier} works through
 * the same route: a hub on PostgreSQL with its embedded Artemis broker and a drop folder; an H2
 * client running the shipped {@code jms-load}, {@code jms-send} and {@code jms-receive} files and a
 * MariaDB client running {@code file-load}, {@code file-send} and {@code file-receive}. Each asks
 * its hub which tables to reload through its load route, reloads the one asked for while the hub's
 * deltas keep coming, and reports it done, which ends the request on the hub; its other tables and
 * its pointer are left alone. A client that cannot reload the table reports why, and the hub shows
 * it.
 */
class TableReloadOverQueuesIT {

  @TempDir static Path brokerData;
  @TempDir static Path folder;
  private static String brokerUrl;
  private static ShipNode hub;
  private static TableReloadScenarios scenarios;

  @BeforeAll
  static void startHub() throws SQLException {
    brokerUrl = ShipNode.freeBrokerUrl();
    TestDatabase db = TestDatabases.postgres("table_reload_queues_hub");
    Map<String, Object> properties = ShipNode.baseProperties("hub", db);
    for (String client : new String[] {"node-j", "node-f", "node-u"}) {
      properties.put("deltasync.ship.peers." + client + ".secret", secret(client));
    }
    ShipNode.embeddedBroker(properties, brokerData, brokerUrl);
    properties.put("deltasync.ship.folder", folder.toString());
    properties.put("deltasync.ship.routes", "classpath:queues/hub.camel.yaml");
    hub = ShipNode.start("hub", db, properties);
    scenarios = new TableReloadScenarios(hub, TableReloadOverQueuesIT::write);
    TableReloadScenarios.seedAuditLog(db);
    write(1L, 300L);
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void anH2ClientOverJmsReloadsTheOneTableItsHubAsksForAndVerifiesThroughItsLoadRoute() {
    try (ShipNode client = overJms("node-j", TestDatabases.h2("table-reload-queues-j"), null)) {
      scenarios.reloadsTheTableItIsAskedFor(client, 1_000);
      verifiesAndRepairsThroughItsLoadRoute(client);
    }
  }

  @Test
  void aMariaDbClientOverFilesReloadsTheOneTableItsHubAsksForAndVerifiesThroughItsLoadRoute() {
    try (ShipNode client = overFiles("node-f", TestDatabases.mariadb("table_reload_queues_f"))) {
      scenarios.reloadsTheTableItIsAskedFor(client, 2_000);
      verifiesAndRepairsThroughItsLoadRoute(client);
    }
  }

  @Test
  void aClientOverJmsThatCannotReloadTheTableSaysWhyAndTheHubShowsIt() {
    try (ShipNode client =
        overJms("node-u", TestDatabases.h2("table-reload-queues-u"), "audit_log")) {
      scenarios.aClientThatCannotReloadTheTableSaysWhy(client, 3_000);
    }
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
    ShipNode.brokerClient(properties, brokerUrl);
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
