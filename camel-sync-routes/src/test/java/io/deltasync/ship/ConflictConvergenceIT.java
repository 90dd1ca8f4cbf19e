package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.ship.support.PolicyClient;
import io.deltasync.ship.support.PolicyNodes;
import io.deltasync.ship.support.PolicyTables;
import io.deltasync.ship.support.PolicyWorkload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three clients (two H2, one MariaDB) write the same few rows of five tables, one per conflict
 * policy, and push to and pull from a PostgreSQL hub over real HTTP in a seeded random order;
 * however the writes interleave, once everything is synced (and the parked conflicts resolved) all
 * four databases hold the same rows.
 *
 * <p>The seed comes from the system property {@code deltasync.seed}, else at random; it is printed
 * and part of every failure message, so {@code -Ddeltasync.seed=<seed>} replays a failing run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConflictConvergenceIT {

  private static final long SEED = seed();
  private static PolicyNodes nodes;

  @BeforeAll
  static void startNodes() {
    System.out.println("ConflictConvergenceIT seed=" + SEED);
    nodes = PolicyNodes.start(Map.of());
  }

  @AfterAll
  static void stopNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @Order(1)
  void clientsChangingDifferentRowsConvergeWithoutConflicts() {
    withSeed(
        () -> {
          List<CompletableFuture<Void>> writers = new ArrayList<>();
          List<PolicyClient> clients = nodes.clients();
          for (int i = 0; i < clients.size(); i++) {
            PolicyWorkload workload =
                new PolicyWorkload(
                    new Random(SEED + i), List.of(clients.get(i)), 1_000 + 100 * i, 8);
            writers.add(CompletableFuture.runAsync(() -> workload.run(400)));
          }
          CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();

          nodes.settle();

          assertThat(nodes.differences()).isEmpty();
          assertThat(nodes.deadLetters()).allSatisfy((node, count) -> assertThat(count).isZero());
        });
  }

  @Test
  @Order(3)
  void randomInterleavingsOfWritesToTheSameRowsConverge() {
    withSeed(
        () -> {
          PolicyWorkload workload = new PolicyWorkload(new Random(SEED), nodes.clients(), 1, 8);
          workload.run(1_500);
          System.out.println("ConflictConvergenceIT: " + workload);

          nodes.settle();

          assertThat(nodes.differences()).isEmpty();
          assertThat(nodes.deadLetters()).allSatisfy((node, count) -> assertThat(count).isZero());
        });
  }

  @Test
  @Order(2)
  void aClientWhosePushSkipsWhatTheHubHasNotProcessedIsToldWhereToResume() {
    PolicyClient client = nodes.clients().get(0);
    client.inTransaction(rows -> rows.insert(PolicyTables.SERVER, 3_001, "before", 1, null));
    long skipped = client.syncNode().store().lastSeq();
    client.syncNode().store().markPushed("hub", skipped); // as if the hub had acknowledged it
    client.inTransaction(rows -> rows.insert(PolicyTables.SERVER, 3_002, "after", 2, null));

    int sent = client.push(); // the hub answers 409 with where to resume; the client sends again

    assertThat(sent).isEqualTo(2);
    assertThat(nodes.hub().pointers(client.id()).lastProcessed())
        .isEqualTo(client.syncNode().store().lastSeq());
    nodes.settle();
    assertThat(nodes.differences()).isEmpty();
  }

  /** Runs the test body and names the seed in whatever it throws. */
  private static void withSeed(Runnable body) {
    try {
      body.run();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed=" + SEED + " (replay with -Ddeltasync.seed=" + SEED + ")", e);
    }
  }

  private static long seed() {
    String configured = System.getProperty("deltasync.seed");
    return configured == null || configured.isBlank()
        ? ThreadLocalRandom.current().nextLong()
        : Long.parseLong(configured.trim());
  }
}
