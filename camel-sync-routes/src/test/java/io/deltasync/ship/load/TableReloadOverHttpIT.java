package io.deltasync.ship.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.load.HubReloads;
import io.deltasync.load.LoadException;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.HttpPeer;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.Note;
import io.deltasync.testing.TestNode;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hub on PostgreSQL asks a client (H2, or MariaDB, running the shipped {@code http-pull} and
 * {@code http-push} routes) to reload one table ({@link HubReloads#requestTable}): the client hears
 * it in the answer to its next pull, reloads that table page by page while it keeps pulling the
 * hub's deltas, and reports it done, which ends the request on the hub. Its other tables and its
 * pointer are left alone. A client that cannot reload the table reports why, and the hub shows it
 * (see {@link TableReloadScenarios}).
 */
class TableReloadOverHttpIT {

  private static ShipNode hub;
  private static String url;
  private static TableReloadScenarios scenarios;
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
    scenarios = new TableReloadScenarios(hub, TableReloadOverHttpIT::write);
    TableReloadScenarios.seedAuditLog(db);
    writer = TestNode.start("node-w", TestDatabases.h2("table-reload-w")).withUpstream("hub");
    writerPeer = new HttpPeer("hub", url, "node-w", secret("node-w"));
    write(1L, 300L);
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void anH2ClientReloadsTheOneTableItsHubAsksForWhileItKeepsPulling() {
    try (ShipNode client = client("node-t", TestDatabases.h2("table-reload-t"), null)) {
      scenarios.reloadsTheTableItIsAskedFor(client, 1_000);
    }
  }

  @Test
  void aMariaDbClientReloadsTheOneTableItsHubAsksForWhileItKeepsPulling() {
    try (ShipNode client = client("node-m", TestDatabases.mariadb("table_reload_m"), null)) {
      scenarios.reloadsTheTableItIsAskedFor(client, 2_000);
    }
  }

  @Test
  void aClientThatCannotReloadTheTableSaysWhyAndTheHubShowsIt() {
    try (ShipNode client = client("node-u", TestDatabases.h2("table-reload-u"), "audit_log")) {
      scenarios.aClientThatCannotReloadTheTableSaysWhy(client, 3_000);
    }
  }

  @Test
  void theHubRefusesATableItDoesNotHoldAndAnUnknownClient() {
    HubReloads reloads = scenarios.reloads();
    assertThatThrownBy(() -> reloads.requestTable("node-w", "payroll", "operator (test)"))
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("hub does not replicate a table payroll")
        .hasMessageContaining("audit_log, note, ticket");
    assertThatThrownBy(() -> reloads.requestTable("node-z", "note", "operator (test)"))
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("node-z is not a known peer of hub");
    assertThat(scenarios.requestsOf("node-w")).isEmpty();
    assertThat(scenarios.requestsOf("node-z")).isEmpty();
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

  /** Notes node-w writes and pushes: deltas the hub then sends every client. */
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
