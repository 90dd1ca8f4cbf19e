package io.deltasync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.TestNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The purge that keeps {@code ds_delta} from growing without end, on a hub whose database is of the
 * kind under test (by subclass), with clients node-a and node-b on H2 pulling from it. Deltas are
 * made old by moving their {@code stored_at} back ten days; the retention is seven.
 */
abstract class RetentionPurgeScenarios {

  private static final Duration RETENTION = Duration.ofDays(7);

  /** A fresh database of the kind under test. */
  abstract TestDatabase database(String name);

  private TestNode hub;
  private TestNode a;
  private TestNode b;
  private RetentionPurge purge;
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(RetentionPurge.class);

  @BeforeEach
  void nodes() {
    hub = TestNode.start("hub", database("retention-hub"));
    a = TestNode.start("node-a", TestDatabases.h2("retention-a"));
    b = TestNode.start("node-b", TestDatabases.h2("retention-b"));
    purge = purge(RETENTION);
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void close() {
    logger.detachAppender(lines);
    purge.close();
    hub.db().close();
    a.db().close();
    b.db().close();
  }

  @Test
  void deletesWhatEveryPeerAcknowledgedLongerAgoThanTheRetentionAndKeepsTheRest() {
    hubWrites(1, 2, 3, 4, 5);
    pullBoth();
    hubWrites(6, 7);
    pullBoth();
    age(5);

    assertThat(purge.purgeOnce()).isEqualTo(5);
    assertThat(hubSeqs()).containsExactly(6L, 7L);
    assertThat(purge.purgeOnce()).isZero();
    assertThat(warnings()).isEmpty();
    assertThat(a.notes()).isEqualTo(hub.notes()).hasSize(7);
  }

  @Test
  void keepsOldDeltasAPeerHasNotAcknowledgedAndSaysWhichPeerHoldsThem() {
    hubWrites(1, 2, 3);
    pullBoth();
    hubWrites(4, 5);
    a.node().pull(hub.node()); // node-b is offline
    age(5);

    assertThat(purge.purgeOnce()).isEqualTo(3);
    assertThat(hubSeqs()).containsExactly(4L, 5L);
    assertThat(warnings())
        .singleElement()
        .asString()
        .contains("Kept deltas stored before")
        .contains("that peers have not acknowledged: 2 still to be sent to node-b")
        .contains("a peer gone for good holds them until an operator purges them with force");

    b.node().pull(hub.node()); // back: it gets what was kept for it
    assertThat(b.notes()).isEqualTo(hub.notes()).hasSize(5);
    assertThat(purge.purgeOnce()).isEqualTo(1);
    assertThat(hubSeqs()).containsExactly(5L); // the newest delta stays, see below
    assertThat(warnings()).hasSize(1);
  }

  @Test
  void deletesNothingNoPeerHasAcknowledged() {
    hubWrites(1, 2, 3); // no peer has pulled yet
    age(3);

    assertThat(purge.purgeOnce()).isZero();
    assertThat(hubSeqs()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void deletesNothingYoungerThanTheRetention() {
    hubWrites(1, 2, 3);
    pullBoth();

    assertThat(purge.purgeOnce()).isZero();
    assertThat(hubSeqs()).containsExactly(1L, 2L, 3L);
    assertThat(purge(Duration.ofMillis(1)).purgeOnce()).isEqualTo(2);
    assertThat(hubSeqs()).containsExactly(3L);
  }

  @Test
  void runsOnItsOwnEveryIntervalUntilClosed() {
    hubWrites(1, 2);
    pullBoth();
    age(2);
    purge.start(Duration.ofMillis(100));

    await().atMost(Duration.ofSeconds(10)).until(() -> hubSeqs().equals(List.of(2L)));
    purge.close();
    hubWrites(3, 4);
    pullBoth();
    age(4);
    sleep(Duration.ofMillis(500)); // five intervals
    assertThat(hubSeqs()).containsExactly(2L, 3L, 4L);
    assertThatThrownBy(() -> purge(RETENTION).start(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("every must be > 0, but was PT0S");
  }

  @Test
  void runsOnlyWhileThisProcessLeadsItsNode() {
    hubWrites(1, 2);
    pullBoth();
    age(2);
    AtomicBoolean leads = new AtomicBoolean(false);
    purge.whileLeading(leads::get).start(Duration.ofMillis(100));

    sleep(Duration.ofMillis(500)); // five intervals, another process leading
    assertThat(hubSeqs()).containsExactly(1L, 2L);
    leads.set(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> hubSeqs().equals(List.of(2L)));
  }

  /**
   * The newest delta stays, however old. A quiet client whose every delta was purged, once
   * restarted, began its next incarnation on the base of its first (0), below the seq its hub had
   * processed from it; the hub, still holding the client's deltas, took it for a client that lost
   * its commits, re-based its stream and had it reload.
   */
  @Test
  void keepsTheNewestDeltaSoThatARestartedQuietNodeIsNotTakenForOneThatLostItsCommits() {
    a.inTransaction(notes -> notes.insert(new Note(1, "a 1")));
    a.inTransaction(notes -> notes.insert(new Note(2, "a 2")));
    a.node().push(hub.node());
    pullBoth();
    age(a, 2);
    RetentionPurge onA =
        new RetentionPurge(
            new DeltaMaintenance(a.db().dataSource(), a.node().store()),
            Duration.ofDays(7),
            Clock.systemUTC());

    assertThat(onA.purgeOnce()).isEqualTo(1);
    assertThat(a.seqs()).containsExactly(2L);

    SyncNode restarted = // a's next process over the same database
        new SyncNode(
            new JdbcDeltaStore(a.db().dataSource(), "node-a"),
            a.node().applier(),
            SyncNode.DEFAULT_BATCH_SIZE);
    a.inTransaction(notes -> notes.insert(new Note(3, "a 3")));
    restarted.push(hub.node());
    b.node().pull(hub.node());

    assertThat(hub.node().store().rebases(10)).isEmpty();
    assertThat(b.notes()).isEqualTo(hub.notes()).isEqualTo(a.notes()).hasSize(3);
  }

  @Test
  void refusesARetentionThatIsNotPositive() {
    assertThatThrownBy(() -> purge(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retention must be > 0, but was PT-24H");
  }

  private RetentionPurge purge(Duration retention) {
    return new RetentionPurge(
        new DeltaMaintenance(hub.db().dataSource(), hub.node().store()),
        retention,
        Clock.systemUTC());
  }

  private void hubWrites(long... ids) {
    for (long id : ids) {
      hub.inTransaction(notes -> notes.insert(new Note(id, "hub " + id)));
    }
  }

  private void pullBoth() {
    a.node().pull(hub.node());
    b.node().pull(hub.node());
  }

  /** Moves the hub's deltas up to the seq ten days back, as if stored then. */
  private void age(long upToSeq) {
    age(hub, upToSeq);
  }

  /** Moves the node's deltas up to the seq ten days back, as if stored then. */
  private static void age(TestNode node, long upToSeq) {
    try (Connection connection = node.db().dataSource().getConnection();
        PreparedStatement update =
            connection.prepareStatement("UPDATE ds_delta SET stored_at = ? WHERE seq <= ?")) {
      update.setTimestamp(1, Timestamp.from(Instant.now().minus(Duration.ofDays(10))));
      update.setLong(2, upToSeq);
      update.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<Long> hubSeqs() {
    return hub.seqs();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<String> warnings() {
    return lines.list.stream()
        .filter(line -> line.getLevel() == ch.qos.logback.classic.Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}
