package io.deltasync.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An operator asks an H2 hub to reload one of its clients: the preview shows the hub's rows per
 * table, as the load's own snapshot counts them; the request makes the hub refuse the client's next
 * pull, naming who asked; the client reloads and ends with the hub's rows (a row only it held is
 * gone, one only the hub held arrives, its unpushed write is kept), and the hub serves it again. A
 * request for the hub itself, its upstream, an unknown node or with a table a load cannot copy is
 * refused by name, and writes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HubReloadsIT {

  @AutoClose private static LoadHub loadHub;
  private static TestNode hub;
  private static TestNode client;
  private static HubReloads reloads;

  @BeforeAll
  static void startHubWithALoadedClient() {
    loadHub = LoadHub.start(TestDatabases.h2("hub-reloads"));
    hub = loadHub.node();
    client = TestNode.start("node-a", TestDatabases.h2("hub-reloads-a")).withUpstream("hub");
    for (long id = 1; id <= 4; id++) {
      long note = id;
      client.inTransaction(notes -> notes.insert(new Note(note, "note " + note)));
    }
    client.node().sync(hub.node());
    hub.db().execute("INSERT INTO audit_log (id, message) VALUES (1, 'written on the hub')");
    reloads = new HubReloads(hub.db().dataSource(), "hub", NameFilter.ALL, "top");
  }

  @Test
  @Order(1)
  void thePreviewCountsTheHubsRowsPerTableAsTheLoadsSnapshotDoes() {
    ReloadPreview preview = reloads.preview("node-a");
    LoadStart start = loadHub.snapshots().open("node-p", List.of("audit_log", "note", "ticket"));
    assertThat(loadHub.snapshots().loading()).containsExactly("node-p");
    loadHub.snapshots().close("node-p", start.loadId());
    assertThat(loadHub.snapshots().loading()).isEmpty();

    assertThat(preview.rows()).isEqualTo(start.rows());
    assertThat(preview.rows()).containsEntry("note", 4L).containsEntry("audit_log", 1L);
    assertThat(preview.totalRows()).isEqualTo(5);
    assertThat(preview.lastPushed()).isEqualTo(hub.node().store().pointers("node-a").lastPushed());
    assertThat(preview.lastProcessed())
        .isEqualTo(count(client, "SELECT MAX(seq) FROM ds_delta"))
        .isPositive();
    assertThat(preview.due()).isFalse();
  }

  @Test
  @Order(4)
  void aRequestedReloadRefusesTheClientsPullsUntilItHasReloadedTheHubsRows() {
    hub.db().execute("INSERT INTO audit_log (id, message) VALUES (2, 'only on the hub')");
    client.db().execute("INSERT INTO audit_log (id, message) VALUES (3, 'only on the client')");
    client.inTransaction(notes -> notes.insert(new Note(9, "written, not pushed")));

    assertThat(reloads.request("node-a", "alice (console)")).isTrue();
    assertThat(reloads.request("node-a", "bob (api)")).as("due already").isFalse();

    assertThat(reloads.due()).containsOnlyKeys("node-a");
    assertThat(reloads.due().get("node-a"))
        .contains("requested by alice (console)")
        .doesNotContain("bob");
    assertThat(reloads.preview("node-a").due()).isTrue();
    Loader loader = loadHub.loader(client, 2, Loader.Reload.AUTO);
    ReloadNeededException refusal =
        assertThrows(ReloadNeededException.class, () -> client.node().pull(hub.node()));
    assertThat(refusal.getMessage()).contains("requested by alice (console)");

    loader.reloadNeeded(refusal.getMessage());
    loader.run();
    assertThat(reloads.due()).isEmpty();
    client.node().sync(hub.node());

    assertThat(count(client, "SELECT COUNT(*) FROM audit_log WHERE id IN (1, 2)")).isEqualTo(2);
    assertThat(count(client, "SELECT COUNT(*) FROM audit_log WHERE id = 3"))
        .as("a row only the client held")
        .isZero();
    assertThat(client.notes()).containsExactlyElementsOf(hub.notes());
    assertThat(hub.notes()).anyMatch(note -> note.startsWith("9|written, not pushed"));
  }

  @Test
  @Order(2)
  void theHubItselfItsUpstreamAndAnUnknownNodeAreRefusedByNameAndNothingIsWritten() {
    assertThatThrownBy(() -> reloads.request("hub", "alice"))
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("hub cannot reload from itself");
    assertThatThrownBy(() -> reloads.request("top", "alice"))
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("top is the hub of hub")
        .hasMessageContaining("Loader.reload()");
    assertThatThrownBy(() -> reloads.preview("node-z"))
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("node-z is not a known peer of hub");
    assertThatThrownBy(() -> reloads.request("node-z", "alice"))
        .hasMessageContaining("node-z is not a known peer of hub");
    assertThatThrownBy(() -> reloads.request("node-a", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestedBy must name who asks");

    assertThat(
            NotesSchema.count(
                hub.db().dataSource(),
                "SELECT COUNT(*) FROM ds_reload WHERE node_id IN ('hub', 'top', 'node-z')"))
        .isZero();
  }

  @Test
  @Order(3)
  void aReplicatedTableWithoutAPrimaryKeyIsNamedAndNoReloadIsNoted() {
    hub.db().execute("CREATE TABLE shelf_log (shelf VARCHAR(20), note_id BIGINT)");
    try {
      HubReloads onlyShelves =
          new HubReloads(hub.db().dataSource(), "hub", NameFilter.of("shelf_log,note", ""), null);

      assertThatThrownBy(() -> onlyShelves.preview("node-a"))
          .isInstanceOf(LoadException.class)
          .hasMessageContaining(
              "hub cannot serve a load to node-a: shelf_log (replicated): no primary key");
      assertThatThrownBy(() -> onlyShelves.request("node-a", "alice"))
          .hasMessageContaining("shelf_log (replicated): no primary key");
      assertThat(onlyShelves.due()).doesNotContainKey("node-a");
    } finally {
      hub.db().execute("DROP TABLE shelf_log");
    }
  }

  @Test
  @Order(5)
  void rowCountsAreThisNodesOwnRowsPerReplicatedTable() {
    HubReloads onClient = new HubReloads(client.db().dataSource(), "node-a", NameFilter.ALL, "hub");

    Map<String, Long> rows = onClient.rowCounts();

    assertThat(rows.keySet()).containsExactly("audit_log", "note", "ticket");
    assertThat(rows.get("note")).isEqualTo(count(client, "SELECT COUNT(*) FROM note")).isPositive();
  }

  @Test
  @Order(6)
  void aTableReloadIsDueUntilTheClientReportsItDoneOrFailedAndFailedOnesAreNotToldAgain() {
    assertThat(reloads.requestTable("node-a", " Note ", "alice (console)")).isTrue();
    assertThat(reloads.requestTable("node-a", "note", "bob (console)")).as("due already").isFalse();
    assertThat(reloads.requestTable("node-a", "audit_log", "alice (console)")).isTrue();

    List<TableReloadRequest> due = reloads.tableReloadsDue("node-a");
    assertThat(due).extracting(TableReloadRequest::table).containsExactly("audit_log", "note");
    assertThat(due.get(1).requestedBy()).isEqualTo("alice (console)");
    assertThat(reloads.tableReloadsDue("node-b")).isEmpty();
    assertThat(reloads.due()).as("the client's pulls go on").doesNotContainKey("node-a");

    assertThat(reloads.tableReloadEnded("node-b", due.get(1).id(), null))
        .as("another client cannot end it")
        .isFalse();
    assertThat(reloads.tableReloadEnded("node-a", due.get(1).id(), null)).isTrue();
    assertThat(reloads.tableReloadEnded("node-a", due.get(1).id(), null)).as("twice").isFalse();
    assertThat(reloads.tableReloadEnded("node-a", due.get(0).id(), "disk full\nforged line"))
        .isTrue();

    assertThat(reloads.tableReloadsDue("node-a")).isEmpty();
    assertThat(reloads.tableReloads())
        .singleElement()
        .satisfies(
            failed -> {
              assertThat(failed.table()).isEqualTo("audit_log");
              assertThat(failed.failed()).isTrue();
              assertThat(failed.error()).isEqualTo("disk full\nforged line");
            });
    assertThat(reloads.requestTable("node-a", "audit_log", "alice (console)"))
        .as("asked anew")
        .isTrue();
    assertThat(reloads.tableReloadsDue("node-a")).hasSize(1);
    assertThat(reloads.cancelTable("node-a", "AUDIT_LOG")).isTrue();
    assertThat(reloads.tableReloads()).isEmpty();
  }

  @Test
  @Order(7)
  void aTableReloadOfATableTheHubCannotServeOrOfANodeItDoesNotServeIsRefusedByName() {
    hub.db().execute("CREATE TABLE shelf_log (shelf VARCHAR(20), note_id BIGINT)");
    try {
      assertThatThrownBy(() -> reloads.requestTable("node-a", "shelf_log", "alice"))
          .isInstanceOf(LoadException.class)
          .hasMessageContaining("node-a cannot reload table shelf_log from hub")
          .hasMessageContaining("no primary key");
      assertThatThrownBy(() -> reloads.requestTable("node-a", "payroll", "alice"))
          .isInstanceOf(LoadException.class)
          .hasMessageContaining("hub does not replicate a table payroll");
      assertThatThrownBy(() -> reloads.requestTable("top", "note", "alice"))
          .isInstanceOf(LoadException.class)
          .hasMessageContaining("top is the hub of hub");
      assertThatThrownBy(() -> reloads.requestTable("node-z", "note", "alice"))
          .isInstanceOf(LoadException.class)
          .hasMessageContaining("node-z is not a known peer of hub");
      assertThat(reloads.tableReloads()).isEmpty();
    } finally {
      hub.db().execute("DROP TABLE shelf_log");
    }
  }

  private static long count(TestNode node, String sql) {
    return NotesSchema.count(node.db().dataSource(), sql);
  }
}
