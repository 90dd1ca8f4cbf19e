package io.deltasync.bench;

import io.deltasync.ship.ShipCounters;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Table 1: how many deltas per second a pipeline carries from commit on client A until applied on
 * the hub and on client B, beside plain JDBC batch inserts of the same rows into the same
 * databases, in the same run.
 *
 * <p>A round: the writer commits {@code transactions} transactions on A as fast as it can, while
 * one {@link RowWatch} per target polls for the run's last row; a rate is the rows divided by the
 * time from the first commit until the last row was seen. Then the same rows go into each target
 * with {@link PlainInsert}. The first round of each workload is an untimed warm-up.
 */
final class ThroughputTable {

  static final String HEADER =
      "| transport | clients | rows/tx × tx | A commits, rows/s | applied on hub, deltas/s |"
          + " plain insert on hub, rows/s | hub ÷ plain | applied on B, deltas/s |"
          + " plain insert on B, rows/s | B ÷ plain | deltas per batch A sent | deltas per batch"
          + " the hub sent |\n"
          + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  /** One workload: rows per transaction and transactions per round. */
  record Workload(int rowsPerTx, int transactions) {
    int rows() {
      return rowsPerTx * transactions;
    }
  }

  private ThroughputTable() {}

  /** Measures each workload over the pipeline; returns one table row per workload. */
  static List<String> measure(Pipeline pipeline, List<Workload> workloads, int rounds)
      throws SQLException {
    List<String> rows = new ArrayList<>();
    for (Workload workload : workloads) {
      round(pipeline, workload); // warm-up
      double[] written = new double[rounds];
      double[] toHub = new double[rounds];
      double[] toB = new double[rounds];
      double[] plainHub = new double[rounds];
      double[] plainB = new double[rounds];
      double[] pushed = new double[rounds];
      double[] served = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        double[] rates = round(pipeline, workload);
        written[r] = rates[0];
        toHub[r] = rates[1];
        toB[r] = rates[2];
        pushed[r] = rates[3];
        served[r] = rates[4];
        long first = Ids.block();
        plainHub[r] = PlainInsert.rate(pipeline.hub.db().dataSource(), first, workload.rows());
        plainB[r] = PlainInsert.rate(pipeline.b.db().dataSource(), first, workload.rows());
      }
      String row =
          String.format(
              Locale.ROOT,
              "| %s | %s | %d × %,d | %s | %s | %s | %.2f | %s | %s | %.2f | %.0f | %.0f |",
              pipeline.transport.label,
              pipeline.clientLabel(),
              workload.rowsPerTx(),
              workload.transactions(),
              Stats.spread(written, 0),
              Stats.spread(toHub, 0),
              Stats.spread(plainHub, 0),
              Stats.median(toHub) / Stats.median(plainHub),
              Stats.spread(toB, 0),
              Stats.spread(plainB, 0),
              Stats.median(toB) / Stats.median(plainB),
              Stats.median(pushed),
              Stats.median(served));
      System.out.println(row);
      rows.add(row);
      if (pipeline.transport == Transport.HTTP) {
        double hub = Stats.median(toHub) / Stats.median(plainHub);
        double b = Stats.median(toB) / Stats.median(plainB);
        Targets.check(
            "HTTP pipeline ≥ 50% of a plain batch insert ("
                + pipeline.clientLabel()
                + " clients, "
                + workload.rowsPerTx()
                + "-row transactions)",
            hub >= 0.5 && b >= 0.5,
            "%.0f%% on the hub, %.0f%% on B",
            100 * hub,
            100 * b);
      }
    }
    return rows;
  }

  /**
   * One round; returns A's commit rate and the rates to the hub and to B, rows per second, then the
   * mean deltas per batch A's sends carried and per batch the hub sent (to B).
   */
  private static double[] round(Pipeline pipeline, Workload workload) {
    long first = Ids.block();
    long last = first + workload.rows() - 1;
    RowWatch toHub = RowWatch.start("hub", pipeline.hub.db().dataSource(), first, last, TIMEOUT);
    RowWatch toB = RowWatch.start("b", pipeline.b.db().dataSource(), first, last, TIMEOUT);
    ShipCounters fromA = pipeline.a.counters();
    ShipCounters fromHub = pipeline.hub.counters();
    long[] before = {
      fromA.batchesSent(), fromA.deltasSent(), fromHub.batchesSent(), fromHub.deltasSent()
    };
    long firstCommit = 0;
    for (int t = 0; t < workload.transactions(); t++) {
      Notes.insert(
          pipeline.a.writer(), first + (long) t * workload.rowsPerTx(), workload.rowsPerTx());
      if (t == 0) {
        firstCommit = System.nanoTime();
      }
    }
    long lastCommit = System.nanoTime();
    long onHub = toHub.await();
    long onB = toB.await();
    pipeline.written(workload.rows());
    pipeline.check(first, workload.rows());
    // the first commit starts every clock, so the first transaction's rows are not counted
    double counted = workload.rows() - workload.rowsPerTx();
    return new double[] {
      rate(counted, firstCommit, lastCommit),
      rate(counted, firstCommit, onHub),
      rate(counted, firstCommit, onB),
      perBatch(fromA.deltasSent() - before[1], fromA.batchesSent() - before[0]),
      perBatch(fromHub.deltasSent() - before[3], fromHub.batchesSent() - before[2])
    };
  }

  private static double perBatch(long deltas, long batches) {
    return batches == 0 ? 0 : (double) deltas / batches;
  }

  private static double rate(double rows, long from, long to) {
    return rows / Math.max(1e-9, (to - from) / 1e9);
  }
}
