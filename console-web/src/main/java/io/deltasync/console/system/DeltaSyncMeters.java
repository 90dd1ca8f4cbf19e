package io.deltasync.console.system;

import io.deltasync.apply.DeadLetters;
import io.deltasync.conflict.ConflictOutcome;
import io.deltasync.ship.ShipCounters;
import io.deltasync.ship.ShipException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * DeltaSync's meters for Actuator and Micrometer: {@code deltasync.deltas.shipped}, {@code
 * .applied} and {@code deltasync.messages.refused} (counters, since start, from {@link
 * ShipCounters}); {@code deltasync.deltas.captured} (gauge: deltas captured here and still stored),
 * {@code deltasync.conflicts} by {@code outcome} (and {@code open}) and {@code
 * deltasync.dead.letters} (gauges, read from the database at most every five seconds). Lag per peer
 * is registered by the lag sampler ({@code deltasync.peer.pending}, {@code
 * deltasync.peer.lag.seconds}).
 */
@Component
public class DeltaSyncMeters implements MeterBinder {

  private static final Duration FRESH = Duration.ofSeconds(5);

  private final JdbcTemplate jdbc;
  private final ObjectProvider<ShipCounters> shipping;
  private final DeadLetters deadLetters;
  private volatile Counts counts;
  private volatile Instant countedAt = Instant.EPOCH;

  public DeltaSyncMeters(
      DataSource dataSource, ObjectProvider<ShipCounters> shipping, DeadLetters deadLetters) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.shipping = shipping;
    this.deadLetters = deadLetters;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    ShipCounters ship = shipping.getIfAvailable();
    if (ship != null) {
      FunctionCounter.builder("deltasync.deltas.shipped", ship, ShipCounters::deltasSent)
          .description("Deltas in batches a peer acknowledged, since start")
          .register(registry);
      FunctionCounter.builder("deltasync.deltas.applied", ship, ShipCounters::deltasApplied)
          .description("Deltas applied from received batches, since start")
          .register(registry);
      for (ShipException.Reason reason : ShipException.Reason.values()) {
        FunctionCounter.builder("deltasync.messages.refused", ship, s -> s.refused(reason))
            .tag("reason", reason.name())
            .description("Messages refused, since start")
            .register(registry);
      }
    }
    Gauge.builder("deltasync.deltas.captured", this, m -> m.counts().captured())
        .description("Deltas captured on this node and still stored")
        .register(registry);
    Gauge.builder("deltasync.dead.letters", this, m -> m.counts().deadLetters())
        .description("Dead letters waiting")
        .register(registry);
    Gauge.builder("deltasync.conflicts", this, m -> m.counts().open())
        .tag("outcome", "OPEN")
        .description("Conflicts recorded, by outcome (OPEN while parked)")
        .register(registry);
    for (ConflictOutcome outcome : ConflictOutcome.values()) {
      Gauge.builder("deltasync.conflicts", this, m -> m.counts().resolved().get(outcome))
          .tag("outcome", outcome.name())
          .register(registry);
    }
  }

  /** The database counts, at most five seconds old. */
  public Counts counts() {
    Instant now = Instant.now();
    Counts current = counts;
    if (current == null || countedAt.plus(FRESH).isBefore(now)) {
      current = read();
      counts = current;
      countedAt = now;
    }
    return current;
  }

  private Counts read() {
    Map<ConflictOutcome, Long> resolved = new EnumMap<>(ConflictOutcome.class);
    for (ConflictOutcome outcome : ConflictOutcome.values()) {
      resolved.put(outcome, 0L);
    }
    long[] open = {0};
    jdbc.query(
        "SELECT status, outcome, COUNT(*) FROM ds_conflict GROUP BY status, outcome",
        row -> {
          String outcome = row.getString(2);
          if (outcome == null) {
            open[0] += row.getLong(3);
          } else {
            resolved.merge(ConflictOutcome.valueOf(outcome), row.getLong(3), Long::sum);
          }
        });
    return new Counts(
        count("SELECT COUNT(*) FROM ds_delta WHERE received_from IS NULL"),
        deadLetters.count(),
        open[0],
        resolved);
  }

  private long count(String sql) {
    Long count = jdbc.queryForObject(sql, Long.class);
    return count == null ? 0 : count;
  }

  /**
   * Counts read from the database.
   *
   * @param captured deltas captured here and still stored
   * @param deadLetters dead letters waiting (QUARANTINED or FAILED)
   * @param open conflicts parked
   * @param resolved resolved conflicts by outcome
   */
  public record Counts(
      long captured, long deadLetters, long open, Map<ConflictOutcome, Long> resolved) {}
}
