package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.deltasync.conflict.Conflicts;
import io.deltasync.ship.support.PolicyClient;
import io.deltasync.ship.support.PolicyNodes;
import io.deltasync.ship.support.PolicyTables;
import io.deltasync.testing.NotesSchema;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Interleavings the single-threaded random walk of {@link ConflictConvergenceIT} does not reach,
 * set up step by step on the same nodes (a PostgreSQL hub, clients on H2 and MariaDB, pushes and
 * pulls over HTTP): a change the hub must recognise as a conflict, so that every node ends with the
 * same row. Every table is {@code server-wins} but {@code cf_client} ({@code client-wins}); each
 * test has rows of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConflictDetectionIT {

  private static PolicyNodes nodes;
  private static Conflicts conflicts;

  @BeforeAll
  static void startNodes() {
    nodes =
        PolicyNodes.start(
            Map.of(
                "deltasync.conflict.default-policy",
                "server-wins",
                "deltasync.conflict.tables." + PolicyTables.CLIENT,
                "client-wins"));
    conflicts = nodes.hub().app().getBean(Conflicts.class);
  }

  @AfterAll
  static void stopNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  /**
   * Two clients change the same row and push at the same moment: both pushes are at the hub at
   * once, each in its own apply transaction. The hub must still see one of them as a conflict with
   * the other, or the nodes end with different rows.
   */
  @Test
  @Order(1)
  void twoClientsPushingTheSameRowAtOnceConverge() throws Exception {
    PolicyClient a = nodes.clients().get(0);
    PolicyClient b = nodes.clients().get(1);
    a.inTransaction(rows -> rows.insert(PolicyTables.SERVER, 5_001, "first", 1, null));
    nodes.settle();
    long conflictsBefore = conflicts.count(null);
    a.inTransaction(rows -> rows.update(PolicyTables.SERVER, 5_001, "by a", 2, null));
    b.inTransaction(rows -> rows.update(PolicyTables.SERVER, 5_001, "by b", 3, null));

    // Holding the hub's row keeps a's push inside the hub until b's has arrived as well.
    try (Connection hubDb = nodes.hub().db().dataSource().getConnection();
        Statement lock = hubDb.createStatement()) {
      hubDb.setAutoCommit(false);
      lock.execute("SELECT * FROM cf_server WHERE id = 5001 FOR UPDATE");
      CompletableFuture<Integer> pushA = CompletableFuture.supplyAsync(a::push);
      assertThat(awaitLockWaiters(1, Duration.ofSeconds(10)))
          .as("a's push waits for the row at the hub")
          .isTrue();
      CompletableFuture<Integer> pushB = CompletableFuture.supplyAsync(b::push);
      awaitLockWaiters(2, Duration.ofSeconds(3)); // unless the hub holds b back another way
      hubDb.commit();
      pushA.join();
      pushB.join();
    }
    nodes.settle();

    assertSoftly(
        softly -> {
          softly
              .assertThat(nodes.differences(5_001, 5_001))
              .as("rows that differ between the nodes")
              .isEmpty();
          softly.assertThat(conflicts.count(null)).as("conflicts").isEqualTo(conflictsBefore + 1);
        });
  }

  /**
   * A client deletes a row that another client updates meanwhile, pulls that update, inserts the
   * row again, and pushes both at once. On a {@code client-wins} table the deletion wins its
   * conflict and the hub deletes the row; the insertion after it is no conflict (its basis covers
   * the update), so the hub applies it and passes it on, also to a third client that never saw the
   * row deleted.
   */
  @Test
  @Order(2)
  void aRowDeletedByAWinningConflictAndInsertedAgainInTheSamePushReachesEveryClient() {
    PolicyClient a = nodes.clients().get(0);
    PolicyClient bystander = nodes.clients().get(1);
    PolicyClient c = nodes.clients().get(2);
    a.inTransaction(rows -> rows.insert(PolicyTables.CLIENT, 7_001, "first", 1, null));
    nodes.settle();
    c.inTransaction(rows -> rows.delete(PolicyTables.CLIENT, 7_001));
    a.inTransaction(rows -> rows.update(PolicyTables.CLIENT, 7_001, "by a", 2, null));
    a.push();
    c.pull(); // a's update finds no row on c
    c.inTransaction(rows -> rows.insert(PolicyTables.CLIENT, 7_001, "again by c", 3, null));
    c.push(); // one batch: the DELETE, which wins its conflict, then the INSERT

    bystander.pull();

    nodes.settle();
    assertThat(nodes.differences(7_001, 7_001)).as("rows that differ between the nodes").isEmpty();
  }

  /**
   * The same on a {@code server-wins} table: the deletion loses its conflict and the hub keeps the
   * row, so the insertion after it, no conflict either, meets a row the hub has. Runs last, with
   * two clients only: the previous test may leave the third unable to pull.
   */
  @Test
  @Order(3)
  void aRowDeletedByALosingConflictAndInsertedAgainInTheSamePushConverges() {
    PolicyClient a = nodes.clients().get(0);
    PolicyClient c = nodes.clients().get(2);
    a.inTransaction(rows -> rows.insert(PolicyTables.SERVER, 6_001, "first", 1, null));
    a.push();
    c.pull();
    c.inTransaction(rows -> rows.delete(PolicyTables.SERVER, 6_001));
    a.inTransaction(rows -> rows.update(PolicyTables.SERVER, 6_001, "by a", 2, null));
    a.push();
    c.pull(); // a's update finds no row on c
    c.inTransaction(rows -> rows.insert(PolicyTables.SERVER, 6_001, "again by c", 3, null));

    c.push(); // one batch: the DELETE, which loses its conflict, then the INSERT

    a.pull();
    c.pull();
    assertThat(nodes.differences(6_001, 6_001, List.of(a, c)))
        .as("rows that differ between the hub, a and c")
        .isEmpty();
  }

  /** Whether that many of the hub's database sessions wait for a lock within the time. */
  private static boolean awaitLockWaiters(int sessions, Duration within)
      throws InterruptedException {
    String sql =
        "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            + " AND datname = current_database()";
    long deadline = System.nanoTime() + within.toNanos();
    while (NotesSchema.count(nodes.hub().db().dataSource(), sql) < sessions) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
