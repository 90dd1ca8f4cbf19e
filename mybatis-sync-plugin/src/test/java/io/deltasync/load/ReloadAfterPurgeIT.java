package io.deltasync.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.schema.TestDatabases;
import io.deltasync.store.DeltaMaintenance;
import io.deltasync.store.PurgePreview;
import io.deltasync.store.Rebase;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.time.Instant;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL hub purges, by force, deltas that a client (H2, MariaDB) offline at the time had not
 * acknowledged (among them deletes, which no later delta repeats). On its return the hub refuses
 * its pulls, naming the gap; the client notes it (one warning, a re-base in its health) and reloads
 * from a snapshot, at once or when an operator says so, keeping the writes it made offline and had
 * not pushed, and deleting the rows the hub no longer has. It then ends equal to the hub and the
 * other client.
 */
class ReloadAfterPurgeIT {

  @AutoClose private static LoadHub loadHub;
  private static TestNode hub;
  private static TestNode writer;
  private static HubSnapshots snapshots;

  @BeforeAll
  static void startHub() {
    loadHub = LoadHub.start(TestDatabases.postgres("reload_hub"));
    hub = loadHub.node();
    snapshots = loadHub.snapshots();
    writer = TestNode.start("node-a", TestDatabases.h2("reload-writer")).withUpstream("hub");
  }

  @Test
  void aClientOfflinePastAPurgeIsRefusedAndReloadsAutomatically() {
    reloadsAutomatically(
        TestNode.start("node-c", TestDatabases.h2("reload-c")).withUpstream("hub"), 1_000);
  }

  @Test
  void aMariaDbClientOfflinePastAPurgeReloadsAutomatically() {
    reloadsAutomatically(
        TestNode.start("node-e", TestDatabases.mariadb("reload_e")).withUpstream("hub"), 3_000);
  }

  private static void reloadsAutomatically(TestNode client, long base) {
    String id = client.node().nodeId();
    Loader loader = loader(client, Loader.Reload.AUTO);
    offlinePastAPurge(client, loader, base);

    ReloadNeededException refusal = refusedPull(client);
    loader.reloadNeeded(refusal.getMessage());
    loader.reloadNeeded(refusal.getMessage()); // noted once
    assertThat(loader.held()).isEmpty();
    assertThat(loader.pending()).isTrue();
    LoadReport report = loader.run();
    syncBoth(client);

    assertThat(report.totalRows()).isPositive();
    assertThat(loader.pending()).isFalse();
    assertThat(client.node().store().rebases(10))
        .extracting(Rebase::reason)
        .anyMatch(
            reason -> reason.startsWith("reload needed, automatic: " + id + " cannot continue"))
        .anyMatch(reason -> reason.startsWith("reloaded from a snapshot of hub"));
    assertConverged(client, base);
  }

  @Test
  void aHeldClientWaitsForAnOperatorAndThenConverges() {
    TestNode client = TestNode.start("node-d", TestDatabases.h2("reload-d")).withUpstream("hub");
    Loader loader = loader(client, Loader.Reload.MANUAL);
    offlinePastAPurge(client, loader, 2_000);

    loader.reloadNeeded(refusedPull(client).getMessage());

    assertThat(loader.held()).hasValueSatisfying(why -> assertThat(why).contains("purged"));
    assertThat(loader.pending()).as("held: no load without the operator").isFalse();
    assertThatThrownBy(loader::run).hasMessageContaining("waits for an operator");
    assertThatThrownBy(() -> client.node().pull(hub.node()))
        .isInstanceOf(ReloadNeededException.class);
    assertThat(client.node().store().rebases(10))
        .extracting(Rebase::reason)
        .anyMatch(reason -> reason.startsWith("reload needed, held: node-d cannot continue"));

    loader.reload();
    assertThat(loader.held()).isEmpty();
    assertThat(loader.pending()).isTrue();
    loader.run();
    syncBoth(client);

    assertConverged(client, 2_000);
  }

  /**
   * A new client loads the hub's notes and pulls the writer's next ones (ids from {@code base}),
   * goes offline and writes notes of its own there, while the writer adds, changes and deletes
   * notes and the hub purges, by force, what the client had not acknowledged.
   */
  private static void offlinePastAPurge(TestNode client, Loader loader, long base) {
    String id = client.node().nodeId();
    assertThat(loader.pending()).as("a new node").isTrue();
    loader.run();
    for (long n = base; n < base + 5; n++) {
      long note = n;
      writer.inTransaction(notes -> notes.insert(new Note(note, "shared " + note)));
    }
    writer.node().sync(hub.node());
    client.node().sync(hub.node());
    assertThat(client.notes()).containsExactlyElementsOf(hub.notes());

    for (long n = base + 100; n < base + 103; n++) {
      long note = n;
      client.inTransaction(notes -> notes.insert(new Note(note, "written offline " + note)));
    }
    writer.inTransaction(notes -> notes.delete(base));
    writer.inTransaction(notes -> notes.update(new Note(base + 1, "changed while away")));
    writer.inTransaction(notes -> notes.insert(new Note(base + 50, "new while away")));
    writer.node().sync(hub.node());

    DeltaMaintenance maintenance = new DeltaMaintenance(hub.db().dataSource(), hub.node().store());
    PurgePreview preview = maintenance.previewPurgeOlderThan(Instant.now().plusSeconds(1));
    assertThat(preview.stillNeededBy()).containsKey(id);
    maintenance.purge(preview, true);
  }

  private static ReloadNeededException refusedPull(TestNode client) {
    String id = client.node().nodeId();
    try {
      client.node().pull(hub.node());
    } catch (ReloadNeededException e) {
      assertThat(e.node()).isEqualTo(id);
      assertThat(e.getMessage())
          .contains("hub purged")
          .contains("that " + id + " had not acknowledged")
          .contains(id + " must reload from hub");
      return e;
    }
    throw new AssertionError(id + " pulled past the purge without a word");
  }

  private static Loader loader(TestNode client, Loader.Reload reload) {
    return loadHub.loader(client, 50, reload);
  }

  private static void syncBoth(TestNode client) {
    client.node().sync(hub.node());
    writer.node().sync(hub.node());
    client.node().pull(hub.node());
  }

  private static void assertConverged(TestNode client, long base) {
    assertThat(client.notes()).containsExactlyElementsOf(hub.notes());
    assertThat(writer.notes()).containsExactlyElementsOf(hub.notes());
    assertThat(ids(hub))
        .as("written offline, kept by the reload and pushed after it")
        .contains(base + 100, base + 101, base + 102)
        .as("deleted while away, by a delta purged since")
        .doesNotContain(base)
        .contains(base + 50);
    for (TestNode node : new TestNode[] {hub, writer, client}) {
      assertThat(
              NotesSchema.count(
                  node.db().dataSource(),
                  "SELECT COUNT(*) - COUNT(DISTINCT delta_id) FROM ds_delta"))
          .isZero();
      assertThat(NotesSchema.count(node.db().dataSource(), "SELECT COUNT(*) FROM ds_dead_letter"))
          .isZero();
    }
  }

  private static java.util.List<Long> ids(TestNode node) {
    return node.notes().stream()
        .map(line -> Long.parseLong(line.substring(0, line.indexOf('|'))))
        .toList();
  }
}
