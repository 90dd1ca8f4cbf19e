package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.conflict.ConflictOutcome;
import io.deltasync.conflict.ConflictRecord;
import io.deltasync.conflict.ConflictStatus;
import io.deltasync.conflict.Conflicts;
import io.deltasync.conflict.Resolution;
import io.deltasync.conflict.Row;
import io.deltasync.ship.support.PolicyClient;
import io.deltasync.ship.support.PolicyNodes;
import io.deltasync.ship.support.PolicyTables;
import io.deltasync.ship.support.PolicyWorkload;
import io.deltasync.ship.support.TitleFromClientResolver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three clients (two H2, one MariaDB) write the same few rows of five tables, one per conflict
 * policy, and push to and pull from a PostgreSQL hub over real HTTP in a seeded random order;
 * however the writes interleave, once everything is synced and the parked conflicts are resolved,
 * all four databases hold the same rows.
 *
 * <p>The seed comes from the system property {@code deltasync.seed}, else at random; it is printed
 * and part of every failure message, so {@code -Ddeltasync.seed=<seed>} replays a run (the same
 * statements in the same order; {@code last-writer-wins} compares capture times, which may order
 * writes of the same millisecond differently in a replay). {@code -Ddeltasync.steps=<n>} makes the
 * random walk longer (default 1,000 steps).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConflictConvergenceIT {

  private static final long SEED = seed();

  /** Steps of the random walk ({@code deltasync.steps}): 1,000 give well over 200 conflicts. */
  private static final int STEPS = Integer.getInteger("deltasync.steps", 1_000);

  private static final int MIN_CONFLICTS = 200;
  private static final int MIN_CONFLICTS_PER_TABLE = 20;

  /** Each table's policy, as the hub is configured. */
  private static final Map<String, String> POLICIES = policies();

  /** A delta named in a failure message, by the applier or in the hub's answer. */
  private static final Pattern DELTA_ID =
      Pattern.compile("delta ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

  private static PolicyNodes nodes;

  @BeforeAll
  static void startNodes() {
    System.out.println("ConflictConvergenceIT seed=" + SEED);
    Map<String, Object> hub = new LinkedHashMap<>();
    hub.put("deltasync.conflict.default-policy", "server-wins");
    POLICIES.forEach((table, policy) -> hub.put("deltasync.conflict.tables." + table, policy));
    nodes = PolicyNodes.start(hub);
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
          long conflictsBefore = conflicts().count(null);
          List<CompletableFuture<Void>> writers = new ArrayList<>();
          List<PolicyClient> clients = nodes.clients();
          for (int i = 0; i < clients.size(); i++) {
            PolicyWorkload workload =
                new PolicyWorkload(
                    new Random(SEED + i), List.of(clients.get(i)), 1_000 + 100 * i, 8);
            writers.add(CompletableFuture.runAsync(() -> workload.run(250)));
          }
          CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();

          nodes.settle();

          assertThat(conflicts().count(null)).isEqualTo(conflictsBefore);
          assertConverged();
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
    assertConverged();
  }

  @Test
  @Order(3)
  void randomInterleavingsOfWritesToTheSameRowsConverge() {
    withSeed(
        () -> {
          Random random = new Random(SEED);
          PolicyWorkload workload = new PolicyWorkload(random, nodes.clients(), 1, 8);
          workload.run(STEPS);
          System.out.println("ConflictConvergenceIT: " + workload);

          nodes.settle();
          int resolvedByHand = resolveEveryOpenConflict(random);

          Map<String, Map<String, Long>> perTable = nodes.conflictsPerTableAndPolicy();
          System.out.println(
              "ConflictConvergenceIT: conflicts per table and policy "
                  + perTable
                  + ", resolved by hand "
                  + resolvedByHand);
          assertConverged();
          assertThat(conflicts().count(null)).isGreaterThanOrEqualTo(MIN_CONFLICTS);
          assertThat(conflicts().count(ConflictStatus.OPEN)).isZero();
          POLICIES.forEach(
              (table, policy) ->
                  assertThat(perTable.getOrDefault(table, Map.of()))
                      .as("conflicts on %s", table)
                      .containsOnlyKeys(policy)
                      .allSatisfy(
                          (name, count) ->
                              assertThat(count).isGreaterThanOrEqualTo(MIN_CONFLICTS_PER_TABLE)));
          Map<String, Map<ConflictOutcome, Integer>> outcomes = new TreeMap<>();
          for (long id : nodes.conflictIds()) {
            ConflictRecord conflict = conflicts().find(id).orElseThrow();
            assertThat(conflict.outcome()).as("outcome of conflict %s", id).isNotNull();
            assertThat(conflict.imageDeltaIds()).as("row images of conflict %s", id).isNotEmpty();
            outcomes
                .computeIfAbsent(conflict.policy(), policy -> new TreeMap<>())
                .merge(conflict.outcome(), 1, Integer::sum);
          }
          System.out.println("ConflictConvergenceIT: outcomes per policy " + outcomes);
          assertThat(outcomes.get("server-wins")).containsOnlyKeys(ConflictOutcome.KEPT_HUB);
          assertThat(outcomes.get("client-wins")).containsOnlyKeys(ConflictOutcome.TOOK_INCOMING);
          assertThat(outcomes.get("last-writer-wins").keySet())
              .isSubsetOf(ConflictOutcome.KEPT_HUB, ConflictOutcome.TOOK_INCOMING);
        });
  }

  /**
   * Resolves every parked conflict, oldest first, each at random: keep the hub's row, take the
   * incoming change, custom values, or delete the row; then syncs, until none is open.
   *
   * @return how many conflicts were resolved
   */
  private static int resolveEveryOpenConflict(Random random) {
    int resolved = 0;
    for (int round = 0; conflicts().count(ConflictStatus.OPEN) > 0; round++) {
      if (round == 10) {
        throw new AssertionError(
            "conflicts still open after 10 rounds: " + conflicts().count(ConflictStatus.OPEN));
      }
      List<ConflictRecord> open =
          new ArrayList<>(conflicts().list(ConflictStatus.OPEN, Conflicts.MAX_LIST));
      open.sort(Comparator.comparingLong(ConflictRecord::id));
      for (ConflictRecord conflict : open) {
        conflicts().resolve(conflict.id(), decide(random, conflict), "convergence-test");
        resolved++;
      }
      nodes.settle();
    }
    return resolved;
  }

  private static Resolution decide(Random random, ConflictRecord conflict) {
    Row base = conflict.hubRow() != null ? conflict.hubRow() : conflict.incomingRow();
    return switch (random.nextInt(4)) {
      case 0 -> Resolution.keepHub();
      case 1 -> Resolution.takeIncoming();
      case 2 ->
          base == null
              ? Resolution.keepHub()
              : Resolution.row(
                  base.with("title", "admin#" + conflict.id()).with("n", random.nextInt(100)));
      default -> Resolution.delete();
    };
  }

  private static void assertConverged() {
    assertThat(nodes.differences()).as("rows that differ between the nodes").isEmpty();
    assertThat(nodes.deadLetters())
        .as("dead letters per node")
        .allSatisfy((node, count) -> assertThat(count).isZero());
  }

  private static Conflicts conflicts() {
    return nodes.hub().app().getBean(Conflicts.class);
  }

  /**
   * Runs the test body and names the seed in whatever it throws, with the history of the row when a
   * delta failed to apply (on a client, or at the hub, as its answer says).
   */
  private static void withSeed(Runnable body) {
    try {
      body.run();
    } catch (AssertionError | RuntimeException e) {
      String history = "";
      for (Throwable t = e; t != null && history.isEmpty(); t = t.getCause()) {
        Matcher delta = DELTA_ID.matcher(String.valueOf(t.getMessage()));
        if (delta.find()) {
          history = nodes.historyOfDelta(delta.group(1));
        }
      }
      throw new AssertionError(
          "seed=" + SEED + " (replay with -Ddeltasync.seed=" + SEED + ")" + history, e);
    }
  }

  private static long seed() {
    String configured = System.getProperty("deltasync.seed");
    return configured == null || configured.isBlank()
        ? ThreadLocalRandom.current().nextLong()
        : Long.parseLong(configured.trim());
  }

  private static Map<String, String> policies() {
    Map<String, String> policies = new LinkedHashMap<>();
    policies.put(PolicyTables.SERVER, "server-wins");
    policies.put(PolicyTables.CLIENT, "client-wins");
    policies.put(PolicyTables.LWW, "last-writer-wins");
    policies.put(PolicyTables.MANUAL, "manual");
    policies.put(PolicyTables.CUSTOM, TitleFromClientResolver.class.getName());
    return policies;
  }
}
