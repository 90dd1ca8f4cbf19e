package io.deltasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.deltasync.apply.DeltaApplier;
import io.deltasync.apply.DeltaValidator;
import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A hub of two members over one PostgreSQL database syncs two writing clients (H2); the leading
 * member is terminated (no graceful shutdown) while deltas flow. The other member takes over within
 * the failover timeout, delivery goes on, and in the end every database holds the same rows, each
 * delta once, and every pointer at the end of its peer's stream.
 */
class LeaderFailoverIT {

  private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(3);
  private static final TestCluster CLUSTER = new TestCluster("leader-failover", 5730, 2);

  @AfterAll
  static void stop() {
    CLUSTER.close();
  }

  @Test
  void theOtherMemberTakesOverAndNothingIsLostOrAppliedTwice() throws Exception {
    TestDatabase hubDb = NotesSchema.install(TestDatabases.postgres("failover_hub"));
    TestNode a = TestNode.start("node-a", TestDatabases.h2("failover-a")).withUpstream("hub");
    TestNode b = TestNode.start("node-b", TestDatabases.h2("failover-b")).withUpstream("hub");
    List<TestNode> clients = List.of(a, b);
    ClusterSettings settings =
        ClusterSettings.defaults("hub", NodeRole.HUB).withFailoverTimeout(FAILOVER_TIMEOUT);
    // two processes over one database: each with its own connection pool
    DataSource firstPool = pool(hubDb);
    DataSource secondPool = pool(hubDb);
    DeltaSyncCluster first = CLUSTER.start(settings, firstPool);
    DeltaSyncCluster second = CLUSTER.start(settings, secondPool);
    // kill in a steady state: Hazelcast logs partition migrations that a kill cuts off as errors
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> second.hazelcast().getPartitionService().isClusterSafe());
    AtomicLong tookOverAt = new AtomicLong();
    second
        .leadership()
        .onChange(leads -> tookOverAt.compareAndSet(0, leads ? System.nanoTime() : 0));
    HubLoop firstLoop = new HubLoop("hub-1", first, hubNode(first, firstPool), clients).start();
    HubLoop secondLoop = new HubLoop("hub-2", second, hubNode(second, secondPool), clients).start();
    AtomicBoolean writing = new AtomicBoolean(true);
    Workload writesOnA = new Workload(11L, 1, false);
    Workload writesOnB = new Workload(12L, 1_000_000, false);
    Thread writerA = writer(a, writesOnA, writing);
    Thread writerB = writer(b, writesOnB, writing);

    await().atMost(Duration.ofSeconds(30)).until(() -> hubDeltas(hubDb) >= 300);
    assertThat(first.leadership().isLeader()).isTrue();
    assertThat(second.leadership().isLeader()).isFalse();
    assertThat(secondLoop.rounds()).as("rounds run by the member that does not lead").isZero();
    long beforeKill = hubDeltas(hubDb);
    long killedAt = System.nanoTime();
    first.hazelcast().getLifecycleService().terminate();

    Thread.sleep(100); // a batch the killed member had started may still finish
    int batchesOfKilledMember = firstLoop.batches();
    await()
        .atMost(FAILOVER_TIMEOUT.plusSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> tookOverAt.get() != 0);
    Duration takeover = Duration.ofNanos(tookOverAt.get() - killedAt);
    assertThat(takeover).isLessThanOrEqualTo(FAILOVER_TIMEOUT.plusSeconds(1));
    long atTakeover = hubDeltas(hubDb);
    await().atMost(Duration.ofSeconds(20)).until(() -> hubDeltas(hubDb) >= atTakeover + 300);
    writing.set(false);
    writerA.join();
    writerB.join();

    long ownOfA = own(a.db().dataSource());
    long ownOfB = own(b.db().dataSource());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                hubDeltas(hubDb) == ownOfA + ownOfB
                    && received(a.db().dataSource()) == ownOfB
                    && received(b.db().dataSource()) == ownOfA
                    && second.store().pointers("node-a").lastPushed() == hubLastSeq(hubDb)
                    && second.store().pointers("node-b").lastPushed() == hubLastSeq(hubDb)
                    // a pull after the last push: the hub has seen each client's whole stream
                    && second.store().pointers("node-a").lastProcessed()
                        == a.node().store().lastSeq()
                    && second.store().pointers("node-b").lastProcessed()
                        == b.node().store().lastSeq());
    firstLoop.stop();
    secondLoop.stop();

    System.out.printf(
        "leader failover: takeover %d ms after terminate; hub had %d deltas at the kill, %d at"
            + " the end; batches by the first member %d, by the second %d; failed rounds %d/%d%n",
        takeover.toMillis(),
        beforeKill,
        hubDeltas(hubDb),
        firstLoop.batches(),
        secondLoop.batches(),
        firstLoop.failures(),
        secondLoop.failures());
    assertThat(firstLoop.batches())
        .as("batches of the killed member after the kill")
        .isEqualTo(batchesOfKilledMember);
    assertThat(firstLoop.failures() + secondLoop.failures()).as("rounds that failed").isZero();
    assertThat(beforeKill).isLessThan(ownOfA + ownOfB);
    assertThat(a.notes()).hasSizeGreaterThan(50);
    assertThat(NotesSchema.notes(hubDb.dataSource())).containsExactlyElementsOf(a.notes());
    assertThat(b.notes()).containsExactlyElementsOf(a.notes());
    assertThat(NotesSchema.tickets(hubDb.dataSource()))
        .isEqualTo(NotesSchema.tickets(a.db().dataSource()));
    assertThat(NotesSchema.tickets(b.db().dataSource()))
        .isEqualTo(NotesSchema.tickets(a.db().dataSource()));
    for (TestDatabase db : List.of(hubDb, a.db(), b.db())) {
      assertThat(count(db.dataSource(), "SELECT COUNT(*) FROM ds_dead_letter")).isZero();
      assertThat(count(db.dataSource(), "SELECT COUNT(DISTINCT delta_id) FROM ds_delta"))
          .isEqualTo(count(db.dataSource(), "SELECT COUNT(*) FROM ds_delta"));
    }
    JdbcDeltaStore hubTable = new JdbcDeltaStore(hubDb.dataSource(), "hub");
    for (TestNode client : clients) {
      String id = client.node().nodeId();
      assertThat(second.store().pointers(id)).isEqualTo(hubTable.pointers(id));
      assertThat(hubTable.pointers(id).lastProcessed()).isEqualTo(client.node().store().lastSeq());
      assertThat(hubTable.pointers(id).lastPushed()).isEqualTo(hubLastSeq(hubDb));
      assertThat(client.node().store().pointers("hub").lastProcessed())
          .isEqualTo(hubLastSeq(hubDb));
    }
  }

  private static SyncNode hubNode(DeltaSyncCluster member, DataSource dataSource) {
    return new SyncNode(
        member.store(),
        new DeltaApplier(dataSource, "hub", new DeltaValidator(NameFilter.ALL)),
        50);
  }

  private static Thread writer(TestNode node, Workload workload, AtomicBoolean writing) {
    Thread thread =
        new Thread(
            () -> {
              while (writing.get()) {
                workload.run(node, workload.committedStatements() + 10);
              }
            },
            "writer-" + node.node().nodeId());
    thread.start();
    return thread;
  }

  private static DataSource pool(TestDatabase db) {
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl(db.jdbcUrl());
    pool.setUsername(db.user());
    pool.setPassword(db.password());
    pool.setMaximumPoolSize(4);
    return pool;
  }

  private static long hubDeltas(TestDatabase hubDb) {
    return count(hubDb.dataSource(), "SELECT COUNT(*) FROM ds_delta");
  }

  private static long hubLastSeq(TestDatabase hubDb) {
    return count(hubDb.dataSource(), "SELECT COALESCE(MAX(seq), 0) FROM ds_delta");
  }

  private static long own(DataSource dataSource) {
    return count(dataSource, "SELECT COUNT(*) FROM ds_delta WHERE received_from IS NULL");
  }

  private static long received(DataSource dataSource) {
    return count(dataSource, "SELECT COUNT(*) FROM ds_delta WHERE received_from IS NOT NULL");
  }

  private static long count(DataSource dataSource, String sql) {
    return NotesSchema.count(dataSource, sql);
  }
}
