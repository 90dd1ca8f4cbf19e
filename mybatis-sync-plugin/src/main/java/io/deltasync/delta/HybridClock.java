package io.deltasync.delta;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hybrid logical clock: wall-clock milliseconds in the high bits, a counter in the low 16 bits.
 *
 * <p>Readings are strictly increasing on one node even when the wall clock stalls or steps back,
 * and {@link #observe(long)} keeps them after any reading seen from another node, so a delta's
 * {@code capturedAt} orders after everything its origin had seen: a node's capture and its applier
 * share one clock ({@link #forNode}), and applying a delta observes its {@code capturedAt}. A
 * reading from another node moves the clock at most {@code maxDrift} ahead of this node's wall
 * clock, so that a sender with a clock far ahead, or a hostile one, cannot push this node's
 * timestamps into the future beyond that. Thread-safe.
 */
public final class HybridClock {

  /** How far ahead of the wall clock other nodes' readings may move a clock unless told. */
  public static final Duration DEFAULT_MAX_DRIFT = Duration.ofMinutes(15);

  private static final int COUNTER_BITS = 16;
  private static final Map<String, HybridClock> NODES = new ConcurrentHashMap<>();

  private final Clock wall;
  private final long maxDriftMillis;
  private final AtomicLong last = new AtomicLong();

  /** A clock on the system's UTC wall clock, with {@link #DEFAULT_MAX_DRIFT}. */
  public HybridClock() {
    this(Clock.systemUTC());
  }

  /** A clock on the given wall clock, with {@link #DEFAULT_MAX_DRIFT}. */
  public HybridClock(Clock wall) {
    this(wall, DEFAULT_MAX_DRIFT);
  }

  /**
   * A clock on the given wall clock that other nodes' readings move at most {@code maxDrift} ahead
   * of it.
   */
  public HybridClock(Clock wall, Duration maxDrift) {
    if (maxDrift == null || maxDrift.isNegative()) {
      throw new IllegalArgumentException("maxDrift must be >= 0, but was " + maxDrift);
    }
    this.wall = wall;
    this.maxDriftMillis = maxDrift.toMillis();
  }

  /**
   * The clock of the node with this id in this process, made on first use: what its capture and its
   * applier share unless they are given a clock of their own.
   */
  public static HybridClock forNode(String nodeId) {
    return NODES.computeIfAbsent(Delta.requireNodeId(nodeId, "nodeId"), id -> new HybridClock());
  }

  /** A new reading, greater than every earlier reading and every observed one. */
  public long now() {
    long physical = wall.millis() << COUNTER_BITS;
    return last.updateAndGet(previous -> Math.max(previous + 1, physical));
  }

  /**
   * Moves this clock past a reading from another node, so that every later reading is greater; a
   * reading more than the maximum drift ahead of the wall clock moves it only that far.
   *
   * @return false when the reading was further ahead than the maximum drift (and was not reached)
   */
  public boolean observe(long remote) {
    long limit = (wall.millis() + maxDriftMillis) << COUNTER_BITS;
    last.accumulateAndGet(Math.min(remote, limit), Math::max);
    return remote <= limit;
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
