package io.deltasync.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Incarnation;
import io.deltasync.delta.NameFilter;
import io.deltasync.load.HubSnapshots;
import io.deltasync.load.Loader;
import io.deltasync.load.ReloadNeededException;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.Rebase;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes whose database lost its latest commits (an H2 file database after a kill, any database
 * restored from a backup) reuse seqs that their receivers had processed already: every receiver
 * re-bases that node's stream instead of skipping its new deltas as seen, applies nothing twice,
 * and records the re-base; a client that lost rows the hub holds (its own pushed writes among them)
 * is refused its next pull until it reloads from the hub. The loss is simulated exactly: an H2
 * backup ({@code SCRIPT TO}) taken before the lost commits is restored ({@code RUNSCRIPT}) and a
 * new node process starts over it.
 */
class LostCommitsTest {

  @TempDir Path dir;

  private TestNode hub;
  private TestNode a;
  private TestNode b;

  @BeforeEach
  void startNodes() {
    hub = TestNode.start("hub", TestDatabases.h2("lost-hub"));
    a = TestNode.start("node-a", TestDatabases.h2("lost-a"));
    b = TestNode.start("node-b", TestDatabases.h2("lost-b"));
  }

  @Test
  void aClientThatLostItsLatestCommitsHasItsNewWritesTakenByTheHubAndTheOtherClient()
      throws IOException {
    write(a, 1, 3);
    a.node().sync(hub.node());
    Path backup = backup(a);
    write(a, 4, 5);
    a.node().sync(hub.node());
    b.node().sync(hub.node());
    assertThat(hub.node().store().pointers("node-a").lastProcessed()).isEqualTo(5);

    a = restoreAndRestart(a, backup);
    write(a, 6, 8);
    assertThat(a.node().store().lastSeq()).as("node-a reuses seqs 4 to 6").isEqualTo(6);
    syncAll();

    assertThat(ids(hub)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(ids(b)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(ids(a))
        .as("node-a lost 4 and 5 with its commits, and reloaded them from the hub")
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(a.node().store().rebases(10))
        .extracting(Rebase::reason)
        .anyMatch(reason -> reason.contains("node-a cannot continue from hub after seq"))
        .anyMatch(reason -> reason.startsWith("reloaded from a snapshot of hub"));
    assertEndsOfStreams();
    List<Rebase> rebases = hub.node().store().rebases(10);
    assertThat(rebases).hasSize(1);
    assertThat(rebases.get(0))
        .returns("node-a", Rebase::peerId)
        .returns(5L, Rebase::fromSeq)
        .returns(3L, Rebase::toSeq);
    assertThat(rebases.get(0).newIncarnation()).isEqualTo(a.node().store().incarnation().id());
    assertThat(b.node().store().rebases(10)).isEmpty();
  }

  @Test
  void aClientRestoredFromAnOlderBackupThatWritesNothingIsReloadedWithTheWritesTheHubHad()
      throws IOException {
    write(a, 1, 3);
    syncAll();
    Path backup = backup(a);
    write(a, 4, 5); // taken by the hub, then lost by node-a
    b.inTransaction(notes -> notes.insert(new Note(200, "node-b's, pulled by node-a")));
    syncAll();

    a = restoreAndRestart(a, backup);
    assertThat(ids(a)).containsExactly(1L, 2L, 3L);
    assertThatThrownBy(() -> a.node().pull(hub.node()))
        .isInstanceOf(ReloadNeededException.class)
        .hasMessageContaining("node-a asks for the deltas of hub after seq")
        .hasMessageContaining("its database went back");
    syncAll();

    assertThat(ids(a)).containsExactly(1L, 2L, 3L, 4L, 5L, 200L);
    assertThat(ids(hub)).containsExactly(1L, 2L, 3L, 4L, 5L, 200L);
    assertThat(ids(b)).containsExactly(1L, 2L, 3L, 4L, 5L, 200L);
    assertThat(a.node().store().pointers("hub").lastProcessed())
        .isEqualTo(hub.node().store().lastSeq());
    for (TestNode node : List.of(hub, a, b)) {
      assertThat(duplicates(node)).as("deltas stored twice at %s", node.node().nodeId()).isZero();
    }
  }

  @Test
  void aSenderWhosePointerIsAboveItsLastDeltaSendsAgainFromThatDelta() {
    write(a, 1, 5);
    a.node().sync(hub.node());
    assertThat(a.node().store().pointers("hub").lastPushed()).isEqualTo(5);
    // the deltas and notes after seq 3 are lost, the pointer is not (the database of a process
    // that kept it elsewhere, or a partial restore)
    a.db()
        .execute(
            "DELETE FROM note WHERE id > 3",
            "DELETE FROM ds_delta WHERE seq > 3",
            "ALTER TABLE ds_delta ALTER COLUMN seq RESTART WITH 4");

    a = restart(a);
    write(a, 6, 8);
    syncReloading(a);
    b.node().sync(hub.node());
    syncAll();

    assertThat(ids(a)).as("reloaded from the hub").containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(a.node().store().pointers("hub").lastPushed()).isEqualTo(a.node().store().lastSeq());
    assertThat(ids(hub)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(ids(b)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertEndsOfStreams();
    assertThat(hub.node().store().rebases(10))
        .extracting(Rebase::peerId, Rebase::fromSeq, Rebase::toSeq)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("node-a", 5L, 3L));
  }

  @Test
  void aHubRestoredFromAnOlderBackupServesTheClientsWhosePointersWereAboveItsSeqs()
      throws IOException {
    write(a, 1, 3);
    a.node().sync(hub.node());
    b.node().sync(hub.node());
    Path backup = backup(hub);
    write(a, 4, 5);
    a.node().sync(hub.node());
    b.node().sync(hub.node());
    assertThat(b.node().store().pointers("hub").lastProcessed()).isEqualTo(5);

    hub = restoreAndRestart(hub, backup);
    hub.inTransaction(notes -> notes.insert(new Note(50, "written at the hub after the restore")));
    assertThat(hub.node().store().lastSeq()).as("the hub reuses seq 4").isEqualTo(4);
    write(a, 6, 6); // the hub refuses its batch; node-a sends 4 and 5 again with it
    a.node().sync(hub.node());
    b.node().sync(hub.node());
    syncAll();

    assertThat(ids(hub)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 50L);
    assertThat(ids(a)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 50L);
    assertThat(ids(b)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 50L);
    assertEndsOfStreams();
    assertThat(b.node().store().rebases(10))
        .extracting(Rebase::peerId, Rebase::fromSeq, Rebase::toSeq)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("hub", 5L, 3L));
    assertThat(a.node().store().rebases(10))
        .extracting(Rebase::peerId, Rebase::fromSeq, Rebase::toSeq)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("hub", 5L, 3L));
  }

  @Test
  void aLateBatchOfAPastIncarnationChangesNothing() throws IOException {
    write(a, 1, 3);
    a.node().push(hub.node());
    Path backup = backup(a);
    write(a, 4, 5);
    DeltaBatch late = a.node().nextBatchFor("hub").orElseThrow();
    a.node().push(hub.node());

    a = restoreAndRestart(a, backup);
    write(a, 6, 8);
    a.node().push(hub.node());
    long pointer = hub.node().store().pointers("node-a").lastProcessed();
    var result = hub.node().receive(late);

    assertThat(result.applied()).isZero();
    assertThat(hub.node().store().pointers("node-a").lastProcessed()).isEqualTo(pointer);
    assertThat(ids(hub)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(duplicates(hub)).isZero();
  }

  @Test
  void aSenderThatNamesNoIncarnationIsReBasedByASeqItSendsWithAnotherDeltaId() {
    write(a, 1, 5);
    List<Delta> first = a.node().store().pendingFor("hub", 0, 100).deltas();
    hub.node().receive(new DeltaBatch("node-a", DeltaIds.next(), 0, 5, first));
    a.db()
        .execute(
            "DELETE FROM note WHERE id > 3",
            "DELETE FROM ds_delta WHERE seq > 3",
            "ALTER TABLE ds_delta ALTER COLUMN seq RESTART WITH 4");
    write(a, 6, 8);
    List<Delta> next = a.node().store().pendingFor("hub", 3, 100).deltas();

    var result = hub.node().receive(new DeltaBatch("node-a", DeltaIds.next(), 3, 6, next));

    assertThat(result.applied()).isEqualTo(3);
    assertThat(result.rebased()).isTrue();
    assertThat(ids(hub)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(hub.node().store().pointers("node-a").lastProcessed()).isEqualTo(6);
    assertThat(hub.node().store().rebases(10))
        .extracting(Rebase::peerId, Rebase::fromSeq, Rebase::toSeq, Rebase::newIncarnation)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("node-a", 5L, 3L, null));
    assertThat(duplicates(hub)).isZero();
  }

  @Test
  void aHostileSenderCannotUseAReBaseToReplayOrSkipAnotherOriginsDeltas() {
    write(a, 1, 3);
    a.node().push(hub.node());
    b.inTransaction(notes -> notes.insert(new Note(200, "node-b's own")));
    b.node().push(hub.node());
    long aPointer = hub.node().store().pointers("node-a").lastProcessed();
    long bPointer = hub.node().store().pointers("node-b").lastProcessed();
    List<Delta> ofA = a.node().store().pendingFor("hub", 0, 100).deltas();
    List<Delta> ofB = b.node().store().pendingFor("hub", 0, 100).deltas();
    hub.db().execute("DELETE FROM note"); // what applying anything again would bring back

    // node-b claims a new incarnation from seq 0 and sends node-a's deltas as its own seqs 1 to 3,
    // then its own delta again, then seqs it had sent with other ids
    Incarnation forged = new Incarnation(DeltaIds.next(), 0);
    var replayOfA =
        hub.node().receive(new DeltaBatch("node-b", DeltaIds.next(), 0, 3, ofA).in(forged));
    var replayOfB =
        hub.node().receive(new DeltaBatch("node-b", DeltaIds.next(), 0, 1, ofB).in(forged));
    var reusedIds =
        hub.node()
            .receive(
                new DeltaBatch(
                        "node-b",
                        DeltaIds.next(),
                        0,
                        bPointer,
                        List.of(withId(ofB.get(0), ofA.get(0).id())))
                    .in(forged));

    assertThat(replayOfA.applied()).isZero();
    assertThat(replayOfB.applied()).isZero();
    assertThat(reusedIds.applied()).isZero();
    assertThat(ids(hub)).as("nothing applied again").isEmpty();
    assertThat(hub.node().store().pointers("node-a").lastProcessed()).isEqualTo(aPointer);
    assertThat(hub.node().store().rebases(10)).extracting(Rebase::peerId).containsOnly("node-b");
    write(a, 4, 4);
    a.node().push(hub.node());
    assertThat(ids(hub)).as("node-a's next delta is not skipped").containsExactly(4L);
    assertThat(duplicates(hub)).isZero();
  }

  private void syncAll() {
    for (int round = 0; round < 2; round++) {
      syncReloading(a);
      syncReloading(b);
    }
  }

  /**
   * Pushes and pulls; when the hub says the client must reload (it lost rows the hub has), the
   * client reloads from the hub's snapshot and pulls again.
   */
  private void syncReloading(TestNode client) {
    client.node().push(hub.node());
    try {
      client.node().pull(hub.node());
    } catch (ReloadNeededException e) {
      try (HubSnapshots snapshots =
          new HubSnapshots(
              hub.db().dataSource(),
              "hub",
              NameFilter.ALL,
              hub.node().store()::incarnation,
              Duration.ofMinutes(1))) {
        Loader loader =
            new Loader(
                client.db().dataSource(), client.node().nodeId(), NameFilter.ALL, snapshots, 100);
        loader.reloadNeeded(e.getMessage());
        loader.run();
      }
      client.node().pull(hub.node());
    }
  }

  private void assertEndsOfStreams() {
    long hubLast = hub.node().store().lastSeq();
    for (TestNode client : List.of(a, b)) {
      assertThat(hub.node().store().pointers(client.node().nodeId()).lastProcessed())
          .as("the hub's lastProcessed for %s", client.node().nodeId())
          .isEqualTo(client.node().store().lastSeq());
      assertThat(client.node().store().pointers("hub").lastProcessed())
          .as("%s's lastProcessed for the hub", client.node().nodeId())
          .isEqualTo(hubLast);
    }
    for (TestNode node : List.of(hub, a, b)) {
      assertThat(duplicates(node)).as("deltas stored twice at %s", node.node().nodeId()).isZero();
    }
  }

  private static Delta withId(Delta delta, String id) {
    return new Delta(
        id,
        delta.origin(),
        delta.seq(),
        delta.txId(),
        delta.capturedAt(),
        delta.basis(),
        delta.statementId(),
        delta.kind(),
        delta.table(),
        delta.rowKey(),
        delta.sql(),
        delta.params());
  }

  private static void write(TestNode node, long from, long to) {
    for (long id = from; id <= to; id++) {
      long noteId = id;
      node.inTransaction(notes -> notes.insert(new Note(noteId, "note " + noteId)));
    }
  }

  private Path backup(TestNode node) throws IOException {
    Path file = Files.createTempFile(dir, node.node().nodeId(), ".sql");
    node.db().execute("SCRIPT TO '" + file + "'");
    return file;
  }

  /** The database loses everything after the backup; a new node process starts over it. */
  private static TestNode restoreAndRestart(TestNode node, Path backup) {
    node.db().execute("DROP ALL OBJECTS", "RUNSCRIPT FROM '" + backup + "'");
    return restart(node);
  }

  private static TestNode restart(TestNode node) {
    return new TestNode(
        node.db(),
        node.sessions(),
        new SyncNode(node.node().nodeId(), node.db().dataSource(), NameFilter.ALL));
  }

  private static List<Long> ids(TestNode node) {
    return node.notes().stream()
        .map(row -> Long.parseLong(row.substring(0, row.indexOf('|'))))
        .toList();
  }

  private static long duplicates(TestNode node) {
    return NotesSchema.count(
        node.db().dataSource(),
        "SELECT COUNT(*) FROM (SELECT delta_id FROM ds_delta GROUP BY delta_id HAVING COUNT(*) > 1)"
            + " d");
  }
}
