package io.deltasync.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code ds_delta} from growing without end: now and then deletes the deltas that every known
 * peer has acknowledged and that were stored longer ago than the retention. What a peer has not
 * acknowledged stays, however old; when deltas older than the retention stay for that reason, each
 * run says so in one warning naming the peers, since a peer gone for good holds them until an
 * operator purges them with force ({@link DeltaMaintenance}, the console's Deltas page).
 *
 * <p>The retention is what a node keeps beyond what its peers need: a node restored from a backup
 * older than the retention, or re-sent deltas it has since purged, can no longer tell them by id
 * (see the README's "Lost commits"). It deletes as the console's purge does, in short transactions
 * of {@value DeltaMaintenance#CHUNK} seqs. Thread-safe.
 */
public final class RetentionPurge implements AutoCloseable {

  /** How long acknowledged deltas are kept by default. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /** How often the purge runs by default. */
  public static final Duration DEFAULT_EVERY = Duration.ofHours(1);

  /** The longest wait before the first run after start: a node that restarts often purges too. */
  static final Duration FIRST_RUN_AT_MOST = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(RetentionPurge.class);

  private final DeltaMaintenance maintenance;
  private final Duration retention;
  private final Clock clock;
  private volatile BooleanSupplier leads = () -> true;
  private ScheduledExecutorService runs;

  /**
   * @param retention how long a delta is kept after it was stored, once every peer acknowledged it
   */
  public RetentionPurge(DeltaMaintenance maintenance, Duration retention, Clock clock) {
    this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
    this.retention = requirePositive(retention, "retention");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Deletes the acknowledged deltas stored before now minus the retention, and warns of older ones
   * that peers still need; returns how many it deleted.
   */
  public long purgeOnce() {
    Instant before = clock.instant().minus(retention);
    if (!maintenance.holdsDeltasStoredBefore(before)) {
      return 0;
    }
    PurgePreview acknowledged = maintenance.previewPurgeAcknowledgedOlderThan(before);
    long deleted = acknowledged.count() == 0 ? 0 : maintenance.purge(acknowledged, false);
    Map<String, Long> kept = maintenance.previewPurgeOlderThan(before).stillNeededBy();
    if (!kept.isEmpty()) {
      LOG.warn(
          "Kept deltas stored before {} ({} ago) that peers have not acknowledged: {}; a peer"
              + " offline gets them when it returns, a peer gone for good holds them until an"
              + " operator purges them with force",
          before,
          retention,
          describe(kept));
    }
    return deleted;
  }

  /**
   * Makes the runs {@link #start} schedules purge only while {@code leads} says this process leads
   * its node (a multi-process hub: one purge per node, not one per process); the others skip. Not
   * {@link #purgeOnce}, which purges when called. Returns this purge.
   */
  public RetentionPurge whileLeading(BooleanSupplier leads) {
    this.leads = Objects.requireNonNull(leads, "leads");
    return this;
  }

  /**
   * Runs {@link #purgeOnce} every {@code every}, the first time after {@code every} or a minute,
   * whichever is sooner, on a daemon thread of its own; a run that fails is logged and the next one
   * runs as planned. Returns this purge.
   */
  public synchronized RetentionPurge start(Duration every) {
    requirePositive(every, "every");
    if (runs != null) {
      throw new IllegalStateException("the retention purge is already started");
    }
    runs =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "deltasync-purge");
              thread.setDaemon(true);
              return thread;
            });
    long first = Math.min(every.toMillis(), FIRST_RUN_AT_MOST.toMillis());
    runs.scheduleWithFixedDelay(this::run, first, every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void run() {
    try {
      if (!leads.getAsBoolean()) {
        LOG.debug("Not purging: another process leads this node and purges for it");
        return;
      }
      purgeOnce();
    } catch (RuntimeException e) {
      LOG.warn("Could not purge acknowledged deltas older than {}: {}", retention, e.toString());
    }
  }

  /** Stops the runs; one under way ends on its own. */
  @Override
  public synchronized void close() {
    if (runs != null) {
      runs.shutdown(); // no interrupt: an H2 file closes under a thread interrupted in its I/O
      runs = null;
    }
  }

  private static String describe(Map<String, Long> kept) {
    StringBuilder text = new StringBuilder();
    kept.forEach(
        (peer, count) ->
            text.append(text.isEmpty() ? "" : ", ")
                .append(count)
                .append(" still to be sent to ")
                .append(peer));
    return text.toString();
  }

  private static Duration requirePositive(Duration duration, String name) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + duration);
    }
    return duration;
  }
}
