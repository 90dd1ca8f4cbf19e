package io.deltasync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.internal.DeltaRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDBC store on a real H2 database: what a peer is sent, seq order, pointers, purging. */
class JdbcDeltaStoreTest {

  private DataSource dataSource;
  private JdbcDeltaStore store;

  @BeforeEach
  void freshDatabase() {
    dataSource = TestDatabases.h2("store").migrate().dataSource();
    store = new JdbcDeltaStore(dataSource, "node-a");
  }

  @Test
  void pendingForLeavesOutDeltasOriginatedByOrReceivedFromThePeer() throws SQLException {
    store("node-a", null); // 1: captured here
    store("node-b", "hub"); // 2: the peer's own, via the hub
    store("node-c", "node-b"); // 3: delivered by the peer
    store("node-c", "hub"); // 4: someone else's, via the hub
    store("node-b", "node-b"); // 5: the peer's own, from the peer

    assertThat(seqs(store.pendingFor("node-b", 0, 100))).containsExactly(1L, 4L);
    assertThat(store.pendingFor("node-b", 0, 100).scannedTo()).isEqualTo(5);
    assertThat(seqs(store.pendingFor("hub", 0, 100))).containsExactly(1L, 3L, 5L);
  }

  @Test
  void pendingForPagesInSeqOrderUpToTheLimit() throws SQLException {
    for (int i = 0; i < 5; i++) {
      store("node-a", null);
    }

    Page first = store.pendingFor("node-b", 0, 2);
    Page second = store.pendingFor("node-b", first.scannedTo(), 2);
    Page third = store.pendingFor("node-b", second.scannedTo(), 2);
    Page past = store.pendingFor("node-b", third.scannedTo(), 2);

    assertThat(seqs(first)).containsExactly(1L, 2L);
    assertThat(first.scannedTo()).isEqualTo(2);
    assertThat(seqs(second)).containsExactly(3L, 4L);
    assertThat(seqs(third)).containsExactly(5L);
    assertThat(third.scannedTo()).isEqualTo(5);
    assertThat(past.isEmpty()).isTrue();
    assertThat(past.scannedTo()).isEqualTo(5);
  }

  @Test
  void aFullPageTakesTheRestOfItsLastTransaction() throws SQLException {
    store("node-a", null); // 1
    storeTransaction(4); // 2..5
    store("node-a", null); // 6

    Page first = store.pendingFor("node-b", 0, 3);
    Page second = store.pendingFor("node-b", first.scannedTo(), 3);

    assertThat(seqs(first)).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(first.scannedTo()).isEqualTo(5);
    assertThat(seqs(second)).containsExactly(6L);
  }

  @Test
  void aFullPageTakesTheRestOfALargeTransactionAndNothingAfterIt() throws SQLException {
    store("node-a", null); // 1
    storeTransaction(300); // 2..301: read on in several steps
    storeTransaction(2); // 302, 303: the next transaction
    store("node-a", null); // 304

    Page first = store.pendingFor("node-b", 0, 3);
    Page second = store.pendingFor("node-b", first.scannedTo(), 3);

    assertThat(seqs(first)).hasSize(301).startsWith(1L, 2L).endsWith(300L, 301L);
    assertThat(first.scannedTo()).isEqualTo(301);
    assertThat(seqs(second)).containsExactly(302L, 303L, 304L);
  }

  /** Stores {@code size} deltas of node-a as one transaction. */
  private void storeTransaction(int size) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      String txId = DeltaIds.next();
      List<Delta> transaction = new java.util.ArrayList<>();
      for (int i = 0; i < size; i++) {
        Delta one = delta("node-a");
        transaction.add(
            new Delta(
                one.id(),
                one.origin(),
                0,
                txId,
                one.capturedAt(),
                0,
                one.statementId(),
                one.kind(),
                one.table(),
                null,
                one.sql(),
                one.params()));
      }
      DeltaRows.insert(connection, transaction, null);
      connection.commit();
    }
  }

  @Test
  void scannedToPassesDeltasThePeerDoesNotNeed() throws SQLException {
    store("node-a", null); // 1
    store("node-b", "node-b"); // 2
    store("node-a", null); // 3
    store("node-b", "node-b"); // 4
    store("node-b", "node-b"); // 5

    Page full = store.pendingFor("node-b", 0, 2);
    Page rest = store.pendingFor("node-b", full.scannedTo(), 2);

    assertThat(seqs(full)).containsExactly(1L, 3L);
    assertThat(full.scannedTo()).isEqualTo(3);
    assertThat(rest.isEmpty()).isTrue();
    assertThat(rest.scannedTo()).isEqualTo(5);
  }

  @Test
  void acceptsTheLargestLimit() throws SQLException {
    store("node-a", null);
    store("node-a", null);

    Page page = store.pendingFor("node-b", 0, Integer.MAX_VALUE);

    assertThat(seqs(page)).containsExactly(1L, 2L);
    assertThat(page.scannedTo()).isEqualTo(2);
  }

  @Test
  void writersTakeSeqsInCommitOrderSoAReaderNeverPassesAnOpenOne() throws Exception {
    store("node-a", null); // 1
    Delta inFlight = delta("node-a");
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (Connection open = dataSource.getConnection()) {
      open.setAutoCommit(false);
      DeltaRows.insert(open, List.of(inFlight), null); // 2, holds ds_lock until commit
      Future<?> second = writer.submit(() -> store("node-a", null)); // must wait for it

      Thread.sleep(200);
      assertThat(second).isNotDone();
      assertThat(seqs(store.pendingFor("node-b", 0, 100))).containsExactly(1L);
      open.commit();
      second.get(5, TimeUnit.SECONDS);
    } finally {
      writer.shutdownNow();
    }

    Page afterCommit = store.pendingFor("node-b", 0, 100);

    assertThat(seqs(afterCommit)).containsExactly(1L, 2L, 3L);
    assertThat(afterCommit.deltas().get(1).id()).isEqualTo(inFlight.id());
    assertThat(afterCommit.scannedTo()).isEqualTo(3);
  }

  @Test
  void skipsTheGapOfARolledBackInsertAtOnce() throws SQLException {
    store("node-a", null); // 1
    try (Connection open = dataSource.getConnection()) {
      open.setAutoCommit(false);
      DeltaRows.insert(open, List.of(delta("node-a")), null); // 2
      open.rollback();
    }
    store("node-a", null); // 3

    Page page = store.pendingFor("node-b", 0, 100);

    assertThat(seqs(page)).containsExactly(1L, 3L);
    assertThat(page.scannedTo()).isEqualTo(3);
  }

  @Test
  void markPushedNeverMovesThePointerBack() {
    store.markPushed("node-b", 5);
    store.markPushed("node-b", 3);

    assertThat(store.pointers("node-b")).isEqualTo(new NodePointers("node-a", "node-b", 5, 0));

    store.markPushed("node-b", 7);

    assertThat(store.pointers("node-b").lastPushed()).isEqualTo(7);
    assertThat(store.allPointers()).containsExactly(new NodePointers("node-a", "node-b", 7, 0));
  }

  /**
   * The applier holds a peer's pointer row while it applies a batch from that peer, up to the
   * statement timeout; H2 waits only 1 s for a row lock by default. A push acknowledged meanwhile
   * waits for the row, as it does on PostgreSQL and MariaDB, instead of failing after the hub took
   * the batch (found in the benchmark at 1,000 deltas/s: pushes failed and backed off for seconds).
   */
  @Test
  void aPushAcknowledgedWhileABatchFromThePeerIsAppliedWaitsForItsPointerRow() throws Exception {
    store.markPushed("hub", 1);
    ExecutorService holder = Executors.newSingleThreadExecutor();
    try (Connection applying = dataSource.getConnection()) {
      applying.setAutoCommit(false);
      try (var lock =
          applying.prepareStatement(
              "SELECT last_processed FROM ds_node_pointer WHERE node_id = 'node-a'"
                  + " AND peer_id = 'hub' FOR UPDATE")) {
        lock.executeQuery().close();
      }
      Future<?> pushed = holder.submit(() -> store.markPushed("hub", 9));
      Thread.sleep(2_500); // longer than H2's default lock timeout
      assertThat(pushed.isDone()).as("the push waits while the batch holds the row").isFalse();
      applying.commit();
      pushed.get(10, TimeUnit.SECONDS);
    } finally {
      holder.shutdownNow();
    }

    assertThat(store.pointers("hub").lastPushed()).isEqualTo(9);
  }

  @Test
  void resetPushedMovesThePointerBackSoDeltasAreSentAgain() throws SQLException {
    store("node-a", null);
    store("node-a", null);
    store.markPushed("node-b", 2);
    store.markPushed("node-c", 2);

    store.resetPushed("node-b", 1);

    assertThat(store.pointers("node-b").lastPushed()).isEqualTo(1);
    assertThat(seqs(store.pendingFor("node-b", 1, 10))).containsExactly(2L);
    assertThat(store.pointers("node-c").lastPushed()).isEqualTo(2);
    assertThatThrownBy(() -> store.resetPushed("node-b", -1))
        .hasMessage("seq must be >= 0, but was -1");
  }

  @Test
  void pointersOfAnUnknownPeerAreZeros() {
    assertThat(store.pointers("node-z")).isEqualTo(new NodePointers("node-a", "node-z", 0, 0));
    assertThat(store.allPointers()).isEmpty();
  }

  @Test
  void purgeDeletesNothingWhenTheNodeHasNoPeers() throws SQLException {
    store("node-a", null);
    store("node-a", null);

    assertThat(store.purgeAcknowledged()).isZero();
    assertThat(store.count()).isEqualTo(2);
  }

  @Test
  void purgeDeletesOnlySeqsEveryPeerHasAcknowledged() throws SQLException {
    for (int i = 0; i < 6; i++) {
      store("node-a", null);
    }
    store.markPushed("node-b", 4);
    store.markPushed("node-c", 2);

    assertThat(store.purgeAcknowledged()).isEqualTo(2);
    assertThat(seqs(store.pendingFor("node-d", 2, 100))).containsExactly(3L, 4L, 5L, 6L);
    assertThat(store.purgeAcknowledged()).isZero();

    store.markPushed("node-c", 6);

    assertThat(store.purgeAcknowledged()).isEqualTo(2);
    assertThat(store.count()).isEqualTo(2);
    assertThat(seqs(store.pendingFor("node-d", 4, 100))).containsExactly(5L, 6L);
    assertThat(store.lastSeq()).isEqualTo(6);
  }

  private Void store(String origin, String receivedFrom) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      DeltaRows.insert(connection, List.of(delta(origin)), receivedFrom);
      connection.commit();
      connection.setAutoCommit(true);
    }
    return null;
  }

  private static Delta delta(String origin) {
    return new Delta(
        DeltaIds.next(),
        origin,
        0,
        DeltaIds.next(),
        1L << 16,
        0,
        "test.NoteMapper.insert",
        Kind.INSERT,
        "note",
        null,
        "INSERT INTO note (id) VALUES (?)",
        List.of(new Param(ParamType.LONG, 1L)));
  }

  private static List<Long> seqs(Page page) {
    return page.deltas().stream().map(Delta::seq).toList();
  }
}
