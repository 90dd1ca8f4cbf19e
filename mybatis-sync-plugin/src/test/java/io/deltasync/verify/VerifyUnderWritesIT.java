package io.deltasync.verify;

import static io.deltasync.verify.VerifyFixture.kinds;
import static io.deltasync.verify.VerifyFixture.noteIds;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A writer keeps updating and inserting notes on a PostgreSQL hub while an H2 client verifies and
 * repairs: the row changed behind DeltaSync's back is found, no delta in flight is repaired
 * backwards, and the client equals the hub once it has pulled.
 */
class VerifyUnderWritesIT {

  @Test
  void repairWhileTheHubKeepsWritingLeavesTheClientEqualToTheHubAfterItPulls() throws Exception {
    TestNode hub = TestNode.start("hub", TestDatabases.postgres("verify_busy_hub"));
    TestNode client = TestNode.start("node-a", TestDatabases.h2("verify-busy-a"));
    new Workload(11L, 1, false).run(client, 2_000);
    client.node().sync(hub.node());
    List<Long> ids = noteIds(client);
    long tampered = ids.get(ids.size() / 2);
    client.db().execute("UPDATE note SET amount = amount + 1000 WHERE id = " + tampered);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger hubWrites = new AtomicInteger();
    Thread writer = new Thread(() -> keepWriting(hub, ids, tampered, writing, hubWrites));
    writer.start();
    Verifier verifier = VerifyFixture.verifier(client, hub, NameFilter.ALL);
    VerifyReport report;
    RepairReport repair;
    try {
      awaitWrites(hubWrites, 20);
      report = verifier.verify("note");
      repair = verifier.repair(report);
      awaitWrites(hubWrites, hubWrites.get() + 20);
    } finally {
      writing.set(false);
      writer.join();
    }
    client.node().pull(hub.node());

    assertThat(kinds(report)).contains("CHANGED note {id=" + tampered + "}");
    assertThat(repair.repairedRanges()).as(repair.toString()).isPositive();
    assertThat(hubWrites.get()).isGreaterThan(40);
    assertThat(client.notes()).containsExactlyElementsOf(hub.notes());
    assertThat(verifier.verify("note").inSync()).isTrue();
  }

  @Test
  void aHubWriteLandingBetweenTheHubsRowSnapshotAndTheRepairIsNotOverwritten() {
    TestNode hub = TestNode.start("hub", TestDatabases.postgres("verify_stale_hub"));
    TestNode client = TestNode.start("node-a", TestDatabases.h2("verify-stale-a"));
    new Workload(12L, 1, false).run(client, 400);
    client.node().sync(hub.node());
    List<Long> ids = noteIds(client);
    long tampered = ids.get(ids.size() / 2);
    client.db().execute("UPDATE note SET title = 'tampered' WHERE id = " + tampered);
    WritingAfterSnapshot stale =
        new WritingAfterSnapshot(
            new HubVerifier(hub.db().dataSource(), "hub", NameFilter.ALL),
            hub,
            tampered,
            () -> client.node().pull(hub.node()));
    Verifier verifier =
        new Verifier(
            client.db().dataSource(),
            "node-a",
            NameFilter.ALL,
            stale,
            CatchUp.syncing(client.node(), hub.node(), java.time.Duration.ofSeconds(30)),
            VerifyFixture.CHUNK_ROWS);
    VerifyReport report = verifier.verify("note");

    stale.writeAfterTheNextSnapshots(2);
    RepairReport repair = verifier.repair(report);
    client.node().pull(hub.node());

    assertThat(client.notes()).containsExactlyElementsOf(hub.notes());
    assertThat(client.notes()).anyMatch(row -> row.contains("written after the snapshot 2"));
    assertThat(stale.written()).isEqualTo(2);
    assertThat(repair.skipped()).isEmpty();
    assertThat(repair.repairedRanges()).isEqualTo(1);
  }

  private static void keepWriting(
      TestNode hub, List<Long> ids, long spared, AtomicBoolean writing, AtomicInteger writes) {
    Random random = new Random(2026L);
    long nextId = 9_000_000L;
    while (writing.get()) {
      long id = ids.get(random.nextInt(ids.size()));
      Note note = new Note(id == spared ? nextId++ : id, "hub write " + writes.get());
      note.amount = BigDecimal.valueOf(random.nextInt(10_000), 2);
      hub.inTransaction(notes -> id == spared ? notes.insert(note) : notes.update(note));
      writes.incrementAndGet();
      pause(2);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitWrites(AtomicInteger writes, int atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (writes.get() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
