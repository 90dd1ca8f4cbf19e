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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A hub of two members over one PostgreSQL database syncs two writing clients (PostgreSQL databases
 * on the same server); the leading member runs in a process of its own, which is frozen with {@code
 * SIGSTOP} for longer than the failover timeout (a hanging leader: its connections stay open) and
 * then resumed with {@code SIGCONT}. The other member takes over within the failover timeout plus a
 * slack and delivers while the first is frozen (taking over, it has the database end the sessions
 * in which the frozen member was applying, and their row locks go); the resumed member learns at
 * once that it no longer leads, starts no further batch and never leads again; in the end every
 * database holds the same rows, each delta once, no dead letter, and every pointer at the end of
 * its peer's stream.
 */
class HangingLeaderIT {

  private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(3);

  /** Beyond the failover timeout: heartbeats are checked every second. */
  private static final Duration TAKEOVER_SLACK = Duration.ofSeconds(2);

  private static final Duration WRITER_PAUSE = Duration.ofMillis(10);

  /** Twice the failover timeout: long enough for the others to remove the frozen member. */
  private static final Duration FROZEN_FOR = FAILOVER_TIMEOUT.plusSeconds(3);

  private static final TestCluster CLUSTER = new TestCluster("hanging-leader", 5796, 2);

  @AfterAll
  static void stop() {
    CLUSTER.close();
  }

  @Test
  void theOtherMemberTakesOverAndTheResumedOneStepsDownWithoutApplyingTwice() throws Exception {
    TestDatabase hubDb = NotesSchema.install(TestDatabases.postgres("hanging_hub"));
    TestNode a = TestNode.start("node-a", TestDatabases.postgres("hanging_a")).withUpstream("hub");
    TestNode b = TestNode.start("node-b", TestDatabases.postgres("hanging_b")).withUpstream("hub");
    List<TestNode> clients = List.of(a, b);
    ClusterSettings settings =
        ClusterSettings.defaults("hub", NodeRole.HUB).withFailoverTimeout(FAILOVER_TIMEOUT);
    long launched = System.nanoTime();
    try (ForkedHubMember forked =
        ForkedHubMember.start(
            "hub-1",
            CLUSTER,
            FAILOVER_TIMEOUT,
            hubDb,
            Map.of("node-a", a.db(), "node-b", b.db()))) {
      forked.await(line -> line.startsWith("leads true"), launched, Duration.ofSeconds(30));
      DataSource pool = pool(hubDb);
      DeltaSyncCluster second = CLUSTER.start(settings, pool);
      // freeze in a steady state, with the partitions owned by both members
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> second.hazelcast().getPartitionService().isClusterSafe());
      AtomicLong tookOverAt = new AtomicLong();
      AtomicInteger leadershipChanges = new AtomicInteger();
      second
          .leadership()
          .onChange(
              leads -> {
                leadershipChanges.incrementAndGet();
                tookOverAt.compareAndSet(0, leads ? System.nanoTime() : 0);
              });
      HubLoop secondLoop = new HubLoop("hub-2", second, hubNode(second, pool), clients).start();
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writerA = writer(a, new Workload(21L, 1, false), writing);
      Thread writerB = writer(b, new Workload(22L, 1_000_000, false), writing);

      await().atMost(Duration.ofSeconds(30)).until(() -> hubDeltas(hubDb) >= 300);
      assertThat(second.leadership().isLeader()).isFalse();
      assertThat(secondLoop.rounds()).as("rounds run by the member that does not lead").isZero();
      long beforeStop = hubDeltas(hubDb);
      long stoppedAt = System.nanoTime();
      forked.signal("STOP");

      await()
          .atMost(FAILOVER_TIMEOUT.plus(TAKEOVER_SLACK))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> tookOverAt.get() != 0);
      Duration takeover = Duration.ofNanos(tookOverAt.get() - stoppedAt);
      long atTakeover = hubDeltas(hubDb);
      long frozenLeft = FROZEN_FOR.toNanos() - (System.nanoTime() - stoppedAt);
      Thread.sleep(Math.max(0, frozenLeft / 1_000_000));
      long atResume = hubDeltas(hubDb);
      String sessionsWhileFrozen = atResume > atTakeover ? "" : sessions(hubDb);
      int batchesWhileFrozen = secondLoop.batches();
      long resumedAt = System.nanoTime();
      forked.signal("CONT");

      ForkedHubMember.Report stepDown =
          forked.await(line -> line.startsWith("leads false"), resumedAt, Duration.ofSeconds(15));
      Duration stepDownTime = Duration.ofNanos(stepDown.receivedAt() - resumedAt);
      await().atMost(Duration.ofSeconds(20)).until(() -> hubDeltas(hubDb) >= atResume + 300);
      writing.set(false);
      writerA.join();
      writerB.join();

      long ownOfA = own(a.db().dataSource());
      long ownOfB = own(b.db().dataSource());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  hubDeltas(hubDb) == ownOfA + ownOfB
                      && received(a.db().dataSource()) == ownOfB
                      && received(b.db().dataSource()) == ownOfA
                      && second.store().pointers("node-a").lastPushed() == hubLastSeq(hubDb)
                      && second.store().pointers("node-b").lastPushed() == hubLastSeq(hubDb)
                      && second.store().pointers("node-a").lastProcessed()
                          == a.node().store().lastSeq()
                      && second.store().pointers("node-b").lastProcessed()
                          == b.node().store().lastSeq());
      secondLoop.stop();
      long convergedAt = System.nanoTime();
      int batchesAtEnd =
          batches(
              forked.await(line -> line.startsWith("batches"), convergedAt, Duration.ofSeconds(5)));
      List<ForkedHubMember.Report> afterResume =
          forked.reportsAfter(resumedAt).stream()
              .filter(report -> !report.line().startsWith("batches"))
              .toList();

      System.out.printf(
          "hanging leader: frozen %d ms (failover timeout %d ms); takeover %d ms after SIGSTOP;"
              + " the resumed member stepped down %d ms after SIGCONT; hub deltas %d at the"
              + " stop, %d at the takeover, %d at the resume, %d at the end; batches of the"
              + " second member while the first was frozen %d, in all %d; failed rounds %d;"
              + " reports of the resumed member %s%n",
          FROZEN_FOR.toMillis(),
          FAILOVER_TIMEOUT.toMillis(),
          takeover.toMillis(),
          stepDownTime.toMillis(),
          beforeStop,
          atTakeover,
          atResume,
          hubDeltas(hubDb),
          batchesWhileFrozen,
          secondLoop.batches(),
          secondLoop.failures(),
          afterResume.stream().map(ForkedHubMember.Report::line).toList());
      assertThat(takeover).isLessThanOrEqualTo(FAILOVER_TIMEOUT.plus(TAKEOVER_SLACK));
      assertThat(atResume)
          .as(
              "hub deltas at the resume, against %d at the takeover: the second member delivers"
                  + " while the first is frozen (taking over, it ends the sessions the first was"
                  + " applying in); hub sessions while frozen:%s",
              atTakeover, sessionsWhileFrozen)
          .isGreaterThan(atTakeover);
      assertThat(batchesAtEnd)
          .as("batches the resumed member started after it stepped down")
          .isEqualTo(batches(stepDown));
      assertThat(afterResume)
          .as("the resumed member never leads again")
          .noneMatch(report -> report.line().startsWith("leads true"));
      assertThat(second.leadership().isLeader()).isTrue();
      assertThat(leadershipChanges.get())
          .as("the second member took over once, for good")
          .isEqualTo(2);
      assertThat(secondLoop.failures()).as("rounds that failed").isZero();
      assertThat(beforeStop).isLessThan(ownOfA + ownOfB);
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
        assertThat(hubTable.pointers(id).lastProcessed())
            .isEqualTo(client.node().store().lastSeq());
        assertThat(hubTable.pointers(id).lastPushed()).isEqualTo(hubLastSeq(hubDb));
        assertThat(client.node().store().pointers("hub").lastProcessed())
            .isEqualTo(hubLastSeq(hubDb));
      }
    }
  }

  /** The hub database's sessions: state, what they wait for, who blocks them, their statement. */
  private static String sessions(TestDatabase hubDb) {
    StringBuilder lines = new StringBuilder();
    try (Connection connection = hubDb.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT pid, state, wait_event, state_change, pg_blocking_pids(pid)::text,"
                    + " left(query, 120) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid()")) {
      while (rows.next()) {
        lines.append("\n  ");
        for (int column = 1; column <= 6; column++) {
          lines.append(column > 1 ? " | " : "").append(rows.getString(column));
        }
      }
    } catch (SQLException e) {
      lines.append(' ').append(e.getMessage());
    }
    return lines.toString();
  }

  /** The batch count a report of the forked member ends with. */
  private static int batches(ForkedHubMember.Report report) {
    return Integer.parseInt(report.line().substring(report.line().lastIndexOf(' ') + 1));
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
                // a steady flow the hub keeps up with, so the end converges in seconds
                LockSupport.parkNanos(WRITER_PAUSE.toNanos());
              }
            },
            "writer-" + node.node().nodeId());
    thread.setDaemon(true);
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
