package io.deltasync.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.e2e.faults.Workload.Op;
import io.deltasync.e2e.faults.Workload.Outcome;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Crash anywhere, lose nothing: a hub on PostgreSQL and three clients (H2, H2, MariaDB), each its
 * own JVM, sync (two clients over HTTP, one over JMS through an Artemis broker) while every
 * client's users write and a {@link Nemesis} kills processes with SIGKILL, freezes them with
 * SIGSTOP past the timeouts of those that wait on them, and cuts, delays, resets, duplicates and
 * reorders their traffic. Once the faults stop, every database must hold the same rows, each delta
 * once, every witnessed operation that committed exactly once, no dead letter (in the databases or
 * on the broker), no message left on the broker's queues, and every pointer at the end of its
 * stream.
 *
 * <p>Seeded: {@code -Ddeltasync.seed=<n>} replays a run's choices (faults, their order and
 * parameters, the workload's operations; not the processes' timing). {@code
 * -Ddeltasync.faults.minutes=<n>} makes the faults last that long (a soak run); by default they
 * last {@link #DEFAULT_PHASE}.
 */
@Order(0)
class ExactlyOnceUnderFaultsIT {

  static final Duration DEFAULT_PHASE = Duration.ofSeconds(90);

  /**
   * How long the nodes may take to converge once the faults stop: the JMS client's batches queued
   * for the hub while it was down or cut off take the longest (see the e2e README).
   */
  private static final Duration CONVERGENCE = Duration.ofSeconds(150);

  @Test
  void everyCommittedChangeArrivesExactlyOnceEverywhereDespiteCrashesAndABadNetwork() {
    long seed = seed();
    Duration phase = phase();
    System.out.println(
        "Fault suite: seed "
            + seed
            + " (replay with -Ddeltasync.seed="
            + seed
            + "), faults for "
            + phase.toSeconds()
            + " s");
    long begin = System.nanoTime();
    try (FaultSystem system = new FaultSystem()) {
      long started = System.nanoTime();
      Workload workload = new Workload(system.clients(), seed);
      workload.setUp();
      for (String node : system.nodes()) {
        io.deltasync.e2e.support.Await.until(
            "the counters and shared items on " + node,
            () ->
                system.db(node).number("SELECT COUNT(*) FROM counter") == FaultSystem.CLIENTS.size()
                    && system.db(node).number("SELECT COUNT(*) FROM item")
                        == Workload.SHARED_ITEMS.size());
      }
      Nemesis nemesis = new Nemesis(system, new Random(seed));
      workload.start();
      nemesis.run(phase);
      workload.stop();
      long healed = System.nanoTime();
      long lastFault = nemesis.lastFault();

      System.out.print("Fault suite: the faults, healed now\n" + faults(nemesis, system));
      SyncState state = awaitConvergence(system);
      long converged = System.nanoTime();

      List<Op> ops = workload.ops();
      Set<String> committed = committed(system, ops);
      printSummary(
          nemesis,
          system,
          state,
          ops,
          committed,
          started - begin,
          converged - lastFault,
          converged - healed);

      assertThat(state.tableDifferences()).as("rows that differ from the hub's").isEmpty();
      for (String node : system.nodes()) {
        assertThat(state.duplicateIds().get(node))
            .as("delta ids stored twice on " + node)
            .isEmpty();
        assertThat(state.deadLetters().get(node)).as("dead letters on " + node).isEmpty();
      }
      assertThat(state.pointerDifferences()).as("pointers short of their stream's end").isEmpty();
      assertThat(system.broker().depths(List.of(FaultBroker.DEAD_LETTERS)))
          .as("messages the broker gave up on (its dead-letter queue)")
          .containsEntry(FaultBroker.DEAD_LETTERS, 0L);

      List<List<String>> log = state.tables().get(FaultSystem.HUB).get("op_log");
      Set<String> logged = log.stream().map(row -> row.get(0)).collect(Collectors.toSet());
      Set<String> lost = new TreeSet<>(committed);
      lost.removeAll(logged);
      Set<String> unexplained = new TreeSet<>(logged);
      unexplained.removeAll(committed);
      assertThat(lost).as("operations that committed but are in no op_log").isEmpty();
      assertThat(unexplained)
          .as("operations in the op_log that the workload did not see commit")
          .isEmpty();
      Map<String, Long> counters = new TreeMap<>();
      state
          .tables()
          .get(FaultSystem.HUB)
          .get("counter")
          .forEach(row -> counters.put(row.get(0), Long.parseLong(row.get(1))));
      Map<String, Long> increments = new TreeMap<>();
      for (String client : FaultSystem.CLIENTS) {
        increments.put(client, count(ops, committed, "inc", client));
      }
      assertThat(counters).as("each counter = the increments that committed").isEqualTo(increments);
      Map<String, Long> quantities = new TreeMap<>();
      Map<String, Long> expectedQuantities = new TreeMap<>();
      for (List<String> row : state.tables().get(FaultSystem.HUB).get("item")) {
        long id = Long.parseLong(row.get(0));
        if (Workload.SHARED_ITEMS.contains(id)) {
          quantities.put(row.get(0), Long.parseLong(row.get(2)));
          expectedQuantities.put(
              row.get(0), Workload.SHARED_QTY - count(ops, committed, "take", row.get(0)));
        }
      }
      assertThat(quantities)
          .as("each shared item's qty = the initial qty less the takes that committed")
          .isEqualTo(expectedQuantities);
    }
  }

  /** Waits until the faults' effects are gone; fails with what still differs. */
  private static SyncState awaitConvergence(FaultSystem system) {
    long start = System.nanoTime();
    long deadline = start + CONVERGENCE.toNanos();
    long nextReport = start + 10_000_000_000L;
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        SyncState state = SyncState.read(system);
        Map<String, Long> queued = system.broker().depths(FaultSystem.JMS_QUEUES);
        boolean drained = queued.values().stream().allMatch(n -> n == 0);
        if (state.converged() && drained) {
          return state;
        }
        last =
            String.join("\n", state.tableDifferences())
                + "\n"
                + String.join("\n", state.pointerDifferences())
                + (drained ? "" : "\nmessages still on the broker's queues: " + queued);
        if (System.nanoTime() > nextReport) {
          nextReport += 10_000_000_000L;
          System.out.printf(
              "  converging, %.0f s: %d tables differ, %d pointers short, queued %s%n",
              (System.nanoTime() - start) / 1e9,
              state.tableDifferences().size(),
              state.pointerDifferences().size(),
              queued);
        }
      } catch (RuntimeException e) {
        last = "could not read every database: " + e.getMessage();
      }
      sleep(1_000);
    }
    throw new AssertionError(
        "the nodes did not converge within "
            + CONVERGENCE.toSeconds()
            + " s of the last fault:\n"
            + last);
  }

  /**
   * The witnessed operations that committed: those acknowledged, and those whose request failed but
   * whose log row is in their own client's database (it died after committing, or the answer was
   * lost).
   */
  private static Set<String> committed(FaultSystem system, List<Op> ops) {
    Set<String> committed = new HashSet<>();
    for (Op op : ops) {
      if (op.outcome() == Outcome.ACKED) {
        committed.add(op.id());
      } else if (system.db(op.node()).number("SELECT COUNT(*) FROM op_log WHERE id = ?", op.id())
          == 1) {
        committed.add(op.id());
      }
    }
    return committed;
  }

  private static long count(List<Op> ops, Set<String> committed, String kind, String target) {
    return ops.stream()
        .filter(op -> op.kind().equals(kind) && op.target().equals(target))
        .filter(op -> committed.contains(op.id()))
        .count();
  }

  private static void printSummary(
      Nemesis nemesis,
      FaultSystem system,
      SyncState state,
      List<Op> ops,
      Set<String> committed,
      long startNanos,
      long sinceLastFault,
      long sinceHealed) {
    StringBuilder out = new StringBuilder("Fault suite summary\n");
    out.append(String.format("  system up in %.1f s%n", startNanos / 1e9));
    out.append("  faults injected: ").append(nemesis.injected()).append('\n');
    long acked = ops.stream().filter(op -> op.outcome() == Outcome.ACKED).count();
    long unknown = ops.size() - acked;
    long unknownCommitted =
        ops.stream()
            .filter(op -> op.outcome() == Outcome.UNKNOWN && committed.contains(op.id()))
            .count();
    out.append(
        String.format(
            "  witnessed operations: %d acknowledged, %d unanswered (%d of them committed)%n",
            acked, unknown, unknownCommitted));
    out.append("  deltas stored per node: ").append(state.deltas()).append('\n');
    List<String> queues = new ArrayList<>(FaultSystem.JMS_QUEUES);
    queues.add(FaultBroker.DEAD_LETTERS);
    out.append("  messages on the broker's queues: ")
        .append(system.broker().depths(queues))
        .append('\n');
    out.append(
        String.format(
            "  converged %.1f s after the last fault (%.1f s after the network healed and every"
                + " killed process answered again)%n",
            sinceLastFault / 1e9, sinceHealed / 1e9));
    System.out.print(out);
  }

  /** The faults injected, by kind and one by one, and what the proxies did on the wire. */
  private static String faults(Nemesis nemesis, FaultSystem system) {
    StringBuilder out = new StringBuilder();
    out.append("  faults injected: ").append(nemesis.injected()).append('\n');
    nemesis.log().forEach(line -> out.append("    ").append(line).append('\n'));
    for (FaultProxy proxy : system.proxies()) {
      out.append("  on the wire, ")
          .append(proxy.name())
          .append(": ")
          .append(proxy.happened())
          .append('\n');
    }
    return out.toString();
  }

  private static long seed() {
    String given = System.getProperty("deltasync.seed");
    return given == null || given.isBlank()
        ? new SecureRandom().nextLong()
        : Long.parseLong(given.trim());
  }

  private static Duration phase() {
    String minutes = System.getProperty("deltasync.faults.minutes");
    return minutes == null || minutes.isBlank()
        ? DEFAULT_PHASE
        : Duration.ofSeconds(Math.round(Double.parseDouble(minutes.trim()) * 60));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
