package io.deltasync.bench;

import ch.qos.logback.classic.Level;
import io.deltasync.apply.ApplyResult;
import io.deltasync.apply.DeltaApplier;
import io.deltasync.apply.DeltaValidator;
import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.Page;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * What conflict detection costs a hub: the same captured batches applied by a {@link DeltaApplier}
 * without and with {@link ConflictPolicies}, on a hub that already holds many deltas of another
 * origin on the same table; runs alternating, medians compared. Prints one line per case and
 * database.
 *
 * <p>The deltas are captured once through MyBatis on H2 nodes; each run applies them to the same
 * hub, which is reset afterwards (not timed), so only the applier differs. Cases: client deltas on
 * rows the hub never had, with the basis at the hub's last seq (the client had seen everything) and
 * at 0 (it had seen nothing); and updates on rows the hub's other origin wrote, basis 0, so every
 * one conflicts and is resolved {@code server-wins}. Each line gives deltas per second without and
 * with detection, the ratio of their times (on / off), and what detection adds per delta.
 *
 * <p>Run with {@code ./run-benchmark.sh}. Arguments: rounds (default 7; a case whose rounds take
 * longer than 12 s stops after 3), batches of 500 deltas per case (default 1), deltas the hub holds
 * beforehand (default 20000).
 */
public final class ConflictDetectionBenchmark {

  private static final String HUB = "hub";
  private static final String PEER = "peer";
  private static final String CLIENT = "client";
  private static final String LATE_CLIENT = "late-client";
  private static final int BATCH_SIZE = 500;
  private static final long PEER_SEED = 11;
  private static final long CLIENT_SEED = 22;
  private static final long CLIENT_FIRST_ID = 10_000_000L;
  // a case whose rounds take longer than this stops after MIN_ROUNDS: detection on H2 is slow
  private static final long CASE_BUDGET_NANOS = 12_000_000_000L;
  private static final int MIN_ROUNDS = 3;

  /** Batches of one case, and how many of their deltas conflict when detection is on. */
  private record Case(String name, List<DeltaBatch> batches, int conflicts) {
    int deltas() {
      return batches.stream().mapToInt(batch -> batch.deltas().size()).sum();
    }
  }

  private ConflictDetectionBenchmark() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int hubDeltas = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    // one INFO line per resolved conflict would measure the console, not the hub
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.deltasync")).setLevel(Level.WARN);
    int count = batches * BATCH_SIZE;
    List<Delta> peer =
        capture(PEER, node -> new Workload(PEER_SEED, 1, false).run(node, hubDeltas));
    List<Delta> client =
        capture(CLIENT, node -> new Workload(CLIENT_SEED, CLIENT_FIRST_ID, false).run(node, count))
            .subList(0, count);
    List<Delta> late = captureLateUpdates(count);
    System.out.printf(
        "hub holds %d deltas of another origin on note; %d deltas per case in batches of %d;"
            + " medians of %d rounds (of %d when a case's rounds took over %d s)%n",
        peer.size(), count, BATCH_SIZE, rounds, MIN_ROUNDS, CASE_BUDGET_NANOS / 1_000_000_000);
    System.out.printf(
        "%-12s %-40s %6s %10s %10s %8s %12s%n",
        "database", "case", "rounds", "off d/s", "on d/s", "ratio", "extra us/d");
    List<Function<String, TestDatabase>> databases =
        List.of(TestDatabases::h2, TestDatabases::postgres);
    for (Function<String, TestDatabase> database : databases) {
      TestDatabase db = NotesSchema.install(database.apply("hub"));
      DeltaValidator validator = new DeltaValidator(NameFilter.ALL);
      DeltaApplier off = new DeltaApplier(db.dataSource(), HUB, validator);
      DeltaApplier on =
          new DeltaApplier(db.dataSource(), HUB, validator, ConflictPolicies.serverWins(), null);
      for (DeltaBatch batch : batches(PEER, peer, 0)) {
        off.apply(batch);
      }
      if (db.kind().equals("postgresql")) {
        db.execute("VACUUM ANALYZE"); // as autovacuum would have by now
      }
      long hubSeq = NotesSchema.count(db.dataSource(), "SELECT MAX(seq) FROM ds_delta");
      List<Case> cases =
          List.of(
              new Case("no conflict, basis = hub's last seq", batches(CLIENT, client, hubSeq), 0),
              new Case("no conflict, basis 0", batches(CLIENT, client, 0), 0),
              new Case(
                  "every delta conflicts (server-wins)", batches(LATE_CLIENT, late, 0), count));
      for (Case each : cases) {
        run(db, off, each, hubSeq, 0); // warm up both paths
        run(db, on, each, hubSeq, each.conflicts());
        long[] offTimes = new long[rounds];
        long[] onTimes = new long[rounds];
        long spent = 0;
        int done = 0;
        while (done < rounds && (done < MIN_ROUNDS || spent < CASE_BUDGET_NANOS)) {
          offTimes[done] = run(db, off, each, hubSeq, 0);
          onTimes[done] = run(db, on, each, hubSeq, each.conflicts());
          spent += offTimes[done] + onTimes[done];
          done++;
        }
        double offNanos = Rounds.median(Arrays.copyOf(offTimes, done));
        double onNanos = Rounds.median(Arrays.copyOf(onTimes, done));
        System.out.printf(
            "%-12s %-40s %6d %10.0f %10.0f %8.2f %12.0f%n",
            db.kind(),
            each.name(),
            done,
            each.deltas() / (offNanos / 1e9),
            each.deltas() / (onNanos / 1e9),
            onNanos / offNanos,
            (onNanos - offNanos) / 1e3 / each.deltas());
      }
      db.close();
    }
    System.exit(0);
  }

  /** Runs the work on a fresh H2 node and returns the deltas it captured, in seq order. */
  private static List<Delta> capture(String nodeId, Consumer<TestNode> work) {
    try (TestDatabase db = TestDatabases.h2("bench-" + nodeId)) {
      TestNode node = TestNode.start(nodeId, db);
      work.accept(node);
      return stored(node, 0);
    }
  }

  /**
   * Updates on rows of the hub's other origin: the node first runs the start of that origin's
   * workload (same seed, same ids), then updates those rows; only the updates are returned.
   */
  private static List<Delta> captureLateUpdates(int count) {
    try (TestDatabase db = TestDatabases.h2("bench-" + LATE_CLIENT)) {
      TestNode node = TestNode.start(LATE_CLIENT, db);
      new Workload(PEER_SEED, 1, false).run(node, 2_000);
      long mark = node.node().store().lastSeq();
      List<Long> ids = node.inTransaction(notes -> notes.all().stream().map(n -> n.id).toList());
      Random random = new Random(33);
      for (int done = 0; done < count; done += 20) {
        int first = done;
        node.inTransaction(
            notes -> {
              for (int i = first; i < Math.min(count, first + 20); i++) {
                Note note = new Note(ids.get(random.nextInt(ids.size())), "late edit " + i);
                note.amount = BigDecimal.valueOf(random.nextInt(100_000), 2);
                notes.update(note);
              }
              return null;
            });
      }
      return stored(node, mark);
    }
  }

  private static List<Delta> stored(TestNode node, long afterSeq) {
    List<Delta> deltas = new ArrayList<>();
    Page page = node.node().store().pendingFor(HUB, afterSeq, 10_000);
    while (!page.deltas().isEmpty()) {
      deltas.addAll(page.deltas());
      page = node.node().store().pendingFor(HUB, page.scannedTo(), 10_000);
    }
    return deltas;
  }

  /** The deltas as consecutive batches from the sender, each delta with the given basis. */
  private static List<DeltaBatch> batches(String sender, List<Delta> deltas, long basis) {
    List<DeltaBatch> batches = new ArrayList<>();
    long afterSeq = 0;
    for (int from = 0; from < deltas.size(); from += BATCH_SIZE) {
      List<Delta> chunk =
          deltas.subList(from, Math.min(deltas.size(), from + BATCH_SIZE)).stream()
              .map(delta -> delta.withBasis(basis))
              .toList();
      long upToSeq = chunk.get(chunk.size() - 1).seq();
      batches.add(new DeltaBatch(sender, DeltaIds.next(), afterSeq, upToSeq, chunk));
      afterSeq = upToSeq;
    }
    return batches;
  }

  /**
   * Applies the case's batches once and checks what they did, then resets the hub to what it held
   * before (not timed); returns nanoseconds.
   */
  private static long run(
      TestDatabase db, DeltaApplier applier, Case each, long hubSeq, int expectedConflicts) {
    int applied = 0;
    int conflicts = 0;
    long start = System.nanoTime();
    for (DeltaBatch batch : each.batches()) {
      ApplyResult result = applier.apply(batch);
      applied += result.applied();
      conflicts += result.conflicts();
    }
    long elapsed = System.nanoTime() - start;
    if (conflicts != expectedConflicts || applied + conflicts != each.deltas()) {
      throw new IllegalStateException(
          each.name()
              + ": expected "
              + expectedConflicts
              + " conflicts among "
              + each.deltas()
              + " deltas, but "
              + applied
              + " applied and "
              + conflicts
              + " conflicted");
    }
    db.execute(
        "DELETE FROM ds_conflict",
        "DELETE FROM ds_delta WHERE seq > " + hubSeq,
        "DELETE FROM note WHERE id >= " + CLIENT_FIRST_ID,
        "UPDATE ds_node_pointer SET last_processed = 0 WHERE node_id = '"
            + HUB
            + "' AND peer_id <> '"
            + PEER
            + "'");
    if (db.kind().equals("postgresql")) {
      db.execute("VACUUM ds_delta, ds_conflict, note"); // no dead rows left for the next run
    }
    return elapsed;
  }
}
