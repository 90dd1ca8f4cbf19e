package io.deltasync.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Table 2: how long a row takes from commit on client A until visible on client B, at a fixed
 * offered load of 1-row transactions.
 *
 * <p>A round: a paced writer commits transaction {@code i} at {@code start + i / rate} (catching up
 * when it falls behind) and stamps each commit's return with {@link System#nanoTime()}, while
 * {@link Arrivals} polls B's database; a row's latency is its arrival stamp minus its commit stamp.
 * Percentiles are per round; the table gives their median over the rounds with min–max.
 */
final class LatencyTable {

  static final String HEADER =
      "| transport | clients | offered, deltas/s | achieved, deltas/s | p50 ms | p99 ms | max ms |"
          + " poll cycle ms |\n"
          + "|---|---|---:|---:|---:|---:|---:|---:|";

  private static final Duration DRAIN = Duration.ofMinutes(5);

  private LatencyTable() {}

  /** Measures each offered load over the pipeline; returns one table row per load. */
  static List<String> measure(Pipeline pipeline, int[] rates, Duration length, int rounds)
      throws InterruptedException {
    List<String> rows = new ArrayList<>();
    for (int rate : rates) {
      double[] achieved = new double[rounds];
      double[] p50 = new double[rounds];
      double[] p99 = new double[rounds];
      double[] max = new double[rounds];
      double[] poll = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        Round round = round(pipeline, rate, length);
        achieved[r] = round.achieved;
        p50[r] = Stats.percentile(round.millis, 0.50);
        p99[r] = Stats.percentile(round.millis, 0.99);
        max[r] = Stats.max(round.millis);
        poll[r] = round.pollMillis;
      }
      String row =
          String.format(
              Locale.ROOT,
              "| %s | %s | %,d | %s | %s | %s | %s | %.2f |",
              pipeline.transport.label,
              pipeline.clientLabel(),
              rate,
              Stats.spread(achieved, 0),
              Stats.spread(p50, 0),
              Stats.spread(p99, 0),
              Stats.spread(max, 0),
              Stats.median(poll));
      System.out.println(row);
      rows.add(row);
      if (pipeline.transport == Transport.HTTP && rate == 1_000) {
        Targets.check(
            "HTTP p99 ≤ 1 s at 1,000 deltas/s",
            Stats.median(p99) <= 1_000,
            "p99 %.0f ms",
            Stats.median(p99));
        Targets.check(
            "HTTP p50 < 100 ms at 1,000 deltas/s",
            Stats.median(p50) < 100,
            "p50 %.0f ms",
            Stats.median(p50));
      }
    }
    return rows;
  }

  private record Round(double achieved, double[] millis, double pollMillis) {}

  private static Round round(Pipeline pipeline, int rate, Duration length)
      throws InterruptedException {
    int count = (int) (rate * length.toMillis() / 1000);
    long first = Ids.block();
    Arrivals arrivals = new Arrivals(pipeline.b.db().dataSource(), first, count);
    long[] committed = new long[count];
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime() + 10_000_000L;
    for (int i = 0; i < count; i++) {
      long wait = start + i * interval - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Notes.insert(pipeline.a.writer(), first + i, 1);
      committed[i] = System.nanoTime();
    }
    double achieved = count / ((committed[count - 1] - start) / 1e9);
    arrivals.awaitAll(DRAIN);
    pipeline.written(count);
    RowWatch.start("hub", pipeline.hub.db().dataSource(), first, first + count - 1, DRAIN).await();
    pipeline.check(first, count);
    double[] millis = new double[count];
    for (int i = 0; i < count; i++) {
      millis[i] = (arrivals.arrivedAt(i) - committed[i]) / 1e6;
    }
    return new Round(achieved, millis, arrivals.meanPollMillis());
  }
}
