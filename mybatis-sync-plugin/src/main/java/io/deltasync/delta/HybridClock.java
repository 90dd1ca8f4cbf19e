package io.deltasync.delta;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hybrid logical clock: wall-clock milliseconds in the high bits, a counter in the low 16 bits.
 *
 * <p>Readings are strictly increasing on one node even when the wall clock stalls or steps back,
 * and {@link #observe(long)} keeps them after any reading seen from another node, so a delta's
 * {@code capturedAt} orders after everything its origin had seen. Thread-safe.
 */
public final class HybridClock {

  private static final int COUNTER_BITS = 16;

  private final Clock wall;
  private final AtomicLong last = new AtomicLong();

  public HybridClock() {
    this(Clock.systemUTC());
  }

  public HybridClock(Clock wall) {
    this.wall = wall;
  }

  /** A new reading, greater than every earlier reading and every observed one. */
  public long now() {
    long physical = wall.millis() << COUNTER_BITS;
    return last.updateAndGet(previous -> Math.max(previous + 1, physical));
  }

  /** Moves this clock past a reading from another node. */
  public void observe(long remote) {
    last.accumulateAndGet(remote, Math::max);
  }

  /** The wall-clock instant of a reading. */
  public static Instant instantOf(long reading) {
    return Instant.ofEpochMilli(reading >>> COUNTER_BITS);
  }

  /** The counter part of a reading (ties within one millisecond). */
  public static int counterOf(long reading) {
    return (int) (reading & ((1 << COUNTER_BITS) - 1));
  }
}
