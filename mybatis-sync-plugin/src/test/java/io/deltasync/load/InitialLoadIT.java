package io.deltasync.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.conflict.Row;
import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL hub holding notes, tickets and audit rows while a client keeps writing to it
 * (relative updates among them); new H2 and MariaDB nodes load in process and then pull: each ends
 * equal to the hub, every delta after the snapshot applied once, no dead letter. A table without a
 * key is refused by name; an interrupted load resumes, and one whose snapshot the hub lost starts
 * over and still ends equal.
 */
class InitialLoadIT {

  private static final int CHUNK = 37;

  @AutoClose private static LoadHub loadHub;
  private static TestNode hub;
  private static TestNode writer;
  private static HubSnapshots snapshots;
  private static final AtomicInteger RUNS = new AtomicInteger();

  /** Relative updates: replayed over a newer row image they would count twice. */
  interface Amounts {
    @Update("UPDATE note SET amount = amount + #{by} WHERE id = #{id}")
    int add(@Param("id") long id, @Param("by") java.math.BigDecimal by);
  }

  @BeforeAll
  static void startHubAndWriter() {
    writer = TestNode.start("node-a", TestDatabases.h2("load-writer")).withUpstream("hub");
    writer.sessions().getConfiguration().addMapper(Amounts.class);
    loadHub = LoadHub.seeded(TestDatabases.postgres("load_hub"), writer, 21L, 1_500);
    hub = loadHub.node();
    snapshots = loadHub.snapshots();
  }

  @Test
  void anH2NodeJoiningWhileTheHubTakesWritesEndsEqualWithEachDeltaAppliedOnce() throws Exception {
    joinsWhileTheHubTakesWrites(TestDatabases.h2("load-join-h2"), "node-h");
  }

  @Test
  void aMariaDbNodeJoiningWhileTheHubTakesWritesEndsEqualWithEachDeltaAppliedOnce()
      throws Exception {
    joinsWhileTheHubTakesWrites(TestDatabases.mariadb("load_join_maria"), "node-m");
  }

  @Test
  void aTableWithoutAPrimaryKeyIsRefusedByName() {
    TestNode node = TestNode.start("node-k", TestDatabases.h2("load-nokey")).withUpstream("hub");
    node.db().execute("CREATE TABLE shelf_log (shelf VARCHAR(20), note_id BIGINT)");
    Loader loader = new Loader(node.db().dataSource(), "node-k", NameFilter.ALL, snapshots, CHUNK);

    assertThatThrownBy(loader::run)
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("cannot load shelf_log from hub: no primary key");
    assertThat(node.notes()).isEmpty();
  }

  @Test
  void anInterruptedLoadResumesFromItsLastChunkAndEndsEqual() {
    TestNode node = TestNode.start("node-r", TestDatabases.h2("load-resume")).withUpstream("hub");
    Loader broken =
        new Loader(node.db().dataSource(), "node-r", NameFilter.ALL, failingAfter(5), CHUNK);

    assertThatThrownBy(broken::run).hasMessageContaining("connection lost");
    long loadedBefore = NotesSchema.count(node.db().dataSource(), "SELECT COUNT(*) FROM note");
    Loader loader = new Loader(node.db().dataSource(), "node-r", NameFilter.ALL, snapshots, CHUNK);
    assertThat(loader.pending()).isTrue();
    LoadReport report = loader.run();
    node.node().pull(hub.node());

    assertThat(loadedBefore).as("audit_log, then 4 chunks of note").isEqualTo(4L * CHUNK);
    assertThat(report.restarted()).isFalse();
    assertThat(report.rows().get("note")).isEqualTo(hubCount("note") - 4L * CHUNK);
    assertThat(loader.pending()).isFalse();
    assertEqualToHub(node);
  }

  @Test
  void aLoadWhoseSnapshotTheHubLostStartsOverAndEndsEqual() {
    TestNode node = TestNode.start("node-s", TestDatabases.h2("load-lost")).withUpstream("hub");
    Loader broken =
        new Loader(node.db().dataSource(), "node-s", NameFilter.ALL, failingAfter(3), CHUNK);
    assertThatThrownBy(broken::run).hasMessageContaining("connection lost");
    snapshots.close(); // the hub restarted: every snapshot is gone
    writer.inTransaction(notes -> notes.delete(firstNoteId(node)));
    writer.node().sync(hub.node());

    LoadReport report =
        new Loader(node.db().dataSource(), "node-s", NameFilter.ALL, snapshots, CHUNK).run();
    node.node().pull(hub.node());

    assertThat(report.restarted()).isTrue();
    assertEqualToHub(node);
  }

  @Test
  void aNodeThatOpensAgainEndsItsEarlierSnapshotAndHoldsOneOfTheHubsLoads() {
    LoadStart lost = snapshots.open("node-o", java.util.List.of("note"));
    int before = snapshots.openLoads();
    LoadStart again = snapshots.open("node-o", java.util.List.of("note"));
    try {
      assertThat(snapshots.openLoads()).as("the first snapshot ended").isEqualTo(before);
      assertThat(snapshots.loading()).contains("node-o");
      assertThatThrownBy(() -> snapshots.chunk("node-o", lost.loadId(), "note", null, 10))
          .isInstanceOf(LoadSessionLostException.class);
      assertThat(snapshots.chunk("node-o", again.loadId(), "note", null, 10)).hasSize(10);
    } finally {
      snapshots.close("node-o", again.loadId());
    }
  }

  private void joinsWhileTheHubTakesWrites(TestDatabase db, String nodeId) throws Exception {
    TestNode node = TestNode.start(nodeId, db).withUpstream("hub");
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger rounds = new AtomicInteger();
    Thread thread = new Thread(() -> keepWriting(writing, rounds), "writer");
    thread.start();
    LoadReport report;
    try {
      await(rounds, 2);
      Loader loader = new Loader(db.dataSource(), nodeId, NameFilter.ALL, snapshots, CHUNK);
      assertThat(loader.pending()).isTrue();
      report = loader.run();
      await(rounds, rounds.get() + 2);
    } finally {
      writing.set(false);
      thread.join();
    }
    writer.node().sync(hub.node());
    node.node().pull(hub.node());

    assertThat(report.totalRows()).isPositive();
    long after =
        NotesSchema.count(
            hub.db().dataSource(),
            "SELECT COUNT(*) FROM ds_delta WHERE seq > " + report.snapshotSeq());
    assertThat(after).as("the writer kept writing after the snapshot").isPositive();
    assertThat(node.deltaCount()).as("each delta after the snapshot, once").isEqualTo(after);
    assertEqualToHub(node);
  }

  private static void keepWriting(AtomicBoolean writing, AtomicInteger rounds) {
    Random random = new Random(5);
    int run = RUNS.incrementAndGet();
    Workload workload = new Workload(31L + run, 500_000 + run * 100_000L, false);
    while (writing.get()) {
      workload.run(writer, workload.committedStatements() + 30);
      List<Long> ids = noteIds(writer);
      try (SqlSession session = writer.sessions().openSession()) {
        Amounts amounts = session.getMapper(Amounts.class);
        for (int i = 0; i < 10; i++) {
          amounts.add(ids.get(random.nextInt(ids.size())), java.math.BigDecimal.valueOf(3, 2));
        }
        session.commit();
      }
      writer.node().sync(hub.node());
      rounds.incrementAndGet();
    }
  }

  private static void assertEqualToHub(TestNode node) {
    assertThat(node.notes()).containsExactlyElementsOf(hub.notes());
    assertThat(NotesSchema.tickets(node.db().dataSource()))
        .containsExactlyElementsOf(NotesSchema.tickets(hub.db().dataSource()));
    assertThat(NotesSchema.count(node.db().dataSource(), "SELECT COUNT(*) FROM audit_log"))
        .isEqualTo(hubCount("audit_log"));
    assertThat(NotesSchema.count(node.db().dataSource(), "SELECT COUNT(*) FROM ds_dead_letter"))
        .isZero();
  }

  private static long hubCount(String table) {
    return NotesSchema.count(hub.db().dataSource(), "SELECT COUNT(*) FROM " + table);
  }

  private static List<Long> noteIds(TestNode node) {
    return node.notes().stream()
        .map(line -> Long.parseLong(line.substring(0, line.indexOf('|'))))
        .toList();
  }

  private static long firstNoteId(TestNode node) {
    return noteIds(node).get(0);
  }

  private static void await(AtomicInteger rounds, int atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (rounds.get() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /** The hub's snapshots, but the connection drops after some chunks. */
  private static LoadSource failingAfter(int chunks) {
    AtomicInteger served = new AtomicInteger();
    return new ForwardingLoadSource(snapshots) {
      @Override
      public List<Row> chunk(
          String requester, String loadId, String table, List<String> after, int limit) {
        if (served.incrementAndGet() > chunks) {
          throw new LoadException("connection lost after " + chunks + " chunks");
        }
        return super.chunk(requester, loadId, table, after, limit);
      }
    };
  }
}
