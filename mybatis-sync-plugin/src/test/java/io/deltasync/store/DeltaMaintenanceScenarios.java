package io.deltasync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.load.ReloadNeededException;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.internal.DeltaRows;
import io.deltasync.testing.Note;
import io.deltasync.testing.TestNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Purge and re-send on a hub whose database is of the kind under test (by subclass), with clients
 * node-a and node-b on H2 syncing through it.
 */
abstract class DeltaMaintenanceScenarios {

  /** A fresh database of the kind under test. */
  abstract TestDatabase database(String name);

  private TestNode hub;
  private TestNode a;
  private TestNode b;
  private DeltaMaintenance maintenance;

  private void nodes() {
    hub = TestNode.start("hub", database("maintenance-hub"));
    a = TestNode.start("node-a", TestDatabases.h2("maintenance-a"));
    b = TestNode.start("node-b", TestDatabases.h2("maintenance-b"));
    maintenance = new DeltaMaintenance(hub.db().dataSource(), hub.node().store());
  }

  private void hubWrites(long... ids) {
    for (long id : ids) {
      hub.inTransaction(notes -> notes.insert(new Note(id, "hub " + id)));
    }
  }

  private List<Long> hubSeqs() {
    return hub.seqs();
  }

  private long pushed(TestNode peer) {
    return hub.node().store().pointers(peer.node().nodeId()).lastPushed();
  }

  @Test
  void purgeOfAcknowledgedDeltasRemovesExactlyThoseAndKeepsWhatArrivedAfterThePreview() {
    nodes();
    hubWrites(1, 2, 3, 4, 5);
    a.node().pull(hub.node());
    b.node().pull(hub.node());
    hubWrites(6, 7, 8);
    a.node().pull(hub.node());

    PurgePreview preview = maintenance.previewPurgeAcknowledged();

    assertThat(pushed(a)).isEqualTo(8);
    assertThat(pushed(b)).isEqualTo(5);
    assertThat(preview).isEqualTo(new PurgePreview("acknowledged", null, 5, 5, Map.of()));

    hubWrites(9);
    a.node().pull(hub.node());
    b.node().pull(hub.node());
    long deleted = maintenance.purge(preview, false);

    assertThat(deleted).isEqualTo(5);
    assertThat(hubSeqs()).containsExactly(6L, 7L, 8L, 9L);
    assertThat(b.notes()).isEqualTo(hub.notes()).hasSize(9);
    // all nine acknowledged, but the newest stays (see RetentionPurgeScenarios)
    assertThat(maintenance.previewPurgeAcknowledged().upToSeq()).isEqualTo(8);
  }

  @Test
  void purgeOfAcknowledgedDeltasDeletesNothingWithoutPeers() {
    nodes();
    hubWrites(1, 2);

    PurgePreview preview = maintenance.previewPurgeAcknowledged();

    assertThat(preview.count()).isZero();
    assertThat(maintenance.purge(preview, false)).isZero();
    assertThat(hubSeqs()).containsExactly(1L, 2L);
  }

  @Test
  void olderThanPreviewNamesThePeersThatStillNeedDeltasAndPurgeIsRefusedUnlessForced()
      throws InterruptedException {
    nodes();
    a.inTransaction(notes -> notes.insert(new Note(1, "a 1")) + notes.insert(new Note(2, "a 2")));
    a.node().push(hub.node()); // hub seqs 1, 2: from node-a, never sent back to it
    b.node().pull(hub.node());
    hubWrites(3, 4, 5);
    Thread.sleep(50);
    Instant before = Instant.now();
    Thread.sleep(50);

    PurgePreview preview = maintenance.previewPurgeOlderThan(before);
    hubWrites(6);

    assertThat(preview)
        .isEqualTo(
            new PurgePreview("older-than", before, 5, 5, Map.of("node-a", 3L, "node-b", 3L)));
    assertThatThrownBy(() -> maintenance.purge(preview, false))
        .isInstanceOf(PurgeRefusedException.class)
        .hasMessageContaining("node-a needs 3, node-b needs 3")
        .hasMessageContaining("force");
    assertThat(hubSeqs()).hasSize(6);

    long deleted = maintenance.purge(preview, true);

    assertThat(deleted).isEqualTo(5);
    assertThat(hubSeqs()).containsExactly(6L);
    assertThatThrownBy(() -> b.node().pull(hub.node()))
        .as("node-b lacks 3 to 5 for good: deltas cannot bring it up to date any more")
        .isInstanceOf(ReloadNeededException.class)
        .hasMessage(
            "hub purged 3 deltas up to seq 5 that node-b had not acknowledged (it had up to seq"
                + " 2): node-b must reload from hub");
    assertThat(b.notes()).extracting(n -> n.split("\\|")[0]).containsExactly("1", "2");
  }

  @Test
  void olderThanPurgeRunsWithoutForceOnceEveryPeerHasTheDeltas() throws InterruptedException {
    nodes();
    hubWrites(1, 2);
    a.node().pull(hub.node());
    Thread.sleep(50);
    Instant before = Instant.now();
    Thread.sleep(50);
    hubWrites(3);

    PurgePreview preview = maintenance.previewPurgeOlderThan(before);

    assertThat(preview.stillNeededBy()).isEmpty();
    assertThat(preview.count()).isEqualTo(2);
    assertThat(maintenance.purge(preview, false)).isEqualTo(2);
    assertThat(hubSeqs()).containsExactly(3L);
  }

  @Test
  void resendSendsAgainExactlyThePreviewedDeltasAndThePeerAppliesNothingTwice() {
    nodes();
    hubWrites(1, 2, 3, 4);
    a.inTransaction(notes -> notes.insert(new Note(10, "a 10")));
    a.node().push(hub.node()); // hub seq 5, from node-a
    hubWrites(5);
    hub.node().push(a.node());
    List<String> notesBefore = a.notes();
    long deltasBefore = a.deltaCount();

    long preview = maintenance.countToResend("node-a", 2);
    long reset = maintenance.resendFrom("node-a", 2);
    int sent = hub.node().push(a.node());

    assertThat(preview).isEqualTo(3);
    assertThat(reset).isEqualTo(preview);
    assertThat(sent).isEqualTo(preview);
    assertThat(pushed(a)).isEqualTo(6);
    assertThat(a.notes()).isEqualTo(notesBefore).hasSize(6);
    assertThat(a.deltaCount()).isEqualTo(deltasBefore);
    assertThat(maintenance.countToResend("node-a", 6)).isZero();
    assertThatThrownBy(() -> maintenance.resendFrom("node-a", 7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lastPushed 6");
    assertThatThrownBy(() -> maintenance.resendFrom("node-x", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node-x is not a known peer");
    assertThat(hub.node().store().allPointers())
        .extracting(NodePointers::peerId)
        .doesNotContain("node-x");
  }

  @Test
  void purgeDeletesAMillionSizedRangeInChunksUpToThePreviewsSeq() throws SQLException {
    nodes();
    int total = 2 * DeltaMaintenance.CHUNK + 5_000;
    try (Connection connection = hub.db().dataSource().getConnection()) {
      connection.setAutoCommit(false);
      List<Delta> deltas = new ArrayList<>();
      for (int i = 1; i <= total; i++) {
        deltas.add(bulk(i));
      }
      DeltaRows.insert(connection, deltas, null);
      connection.commit();
    }
    hub.node().store().markPushed("node-a", total - 3_000);

    PurgePreview preview = maintenance.previewPurgeAcknowledged();
    long deleted = maintenance.purge(preview, false);

    assertThat(deleted).isEqualTo(total - 3_000);
    assertThat(hub.deltaCount()).isEqualTo(3_000);
    assertThat(hubSeqs().get(0)).isEqualTo(total - 3_000 + 1);
  }

  private static Delta bulk(long id) {
    return new Delta(
        DeltaIds.next(),
        "hub",
        id,
        DeltaIds.next(),
        1L << 16,
        0,
        "test.Bulk.insert",
        Kind.INSERT,
        "audit_log",
        null,
        "INSERT INTO audit_log (id, message) VALUES (?, ?)",
        List.of(new Param(ParamType.LONG, id), new Param(ParamType.STRING, "bulk")));
  }
}
