package io.deltasync.delta;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class HybridClockTest {

  private static final Instant NOON = Instant.parse("2024-06-01T12:00:00.123Z");

  @Test
  void firstReadingIsTheWallClockWithCounterZero() {
    long reading = new HybridClock(Clock.fixed(NOON, ZoneOffset.UTC)).now();

    assertThat(HybridClock.instantOf(reading)).isEqualTo(NOON);
    assertThat(HybridClock.counterOf(reading)).isZero();
  }

  @Test
  void readingsStrictlyIncreaseWhenTheWallClockStandsStill() {
    HybridClock clock = new HybridClock(Clock.fixed(NOON, ZoneOffset.UTC));

    long previous = clock.now();
    for (int i = 1; i <= 1000; i++) {
      long reading = clock.now();
      assertThat(reading).isGreaterThan(previous);
      assertThat(HybridClock.instantOf(reading)).isEqualTo(NOON);
      assertThat(HybridClock.counterOf(reading)).isEqualTo(i);
      previous = reading;
    }
  }

  @Test
  void readingsStayAheadWhenTheWallClockStepsBack() {
    SettableClock wall = new SettableClock(NOON);
    HybridClock clock = new HybridClock(wall);
    long before = clock.now();

    wall.set(NOON.minusSeconds(30));
    long after = clock.now();

    assertThat(after).isGreaterThan(before);
    assertThat(HybridClock.instantOf(after)).isEqualTo(NOON);
    assertThat(HybridClock.counterOf(after)).isEqualTo(1);
  }

  @Test
  void followsTheWallClockWhenItMovesOn() {
    SettableClock wall = new SettableClock(NOON);
    HybridClock clock = new HybridClock(wall);
    clock.now();
    clock.now();

    wall.set(NOON.plusMillis(1));
    long reading = clock.now();

    assertThat(HybridClock.instantOf(reading)).isEqualTo(NOON.plusMillis(1));
    assertThat(HybridClock.counterOf(reading)).isZero();
  }

  @Test
  void observeMovesPastARemoteReading() {
    HybridClock local = new HybridClock(Clock.fixed(NOON, ZoneOffset.UTC));
    HybridClock remote = new HybridClock(Clock.fixed(NOON.plusSeconds(60), ZoneOffset.UTC));
    local.now();
    long remoteReading = remote.now();

    local.observe(remoteReading);
    long reading = local.now();

    assertThat(reading).isGreaterThan(remoteReading);
    assertThat(HybridClock.instantOf(reading)).isEqualTo(NOON.plusSeconds(60));
    assertThat(HybridClock.counterOf(reading)).isEqualTo(1);
  }

  @Test
  void observeIgnoresAnOlderRemoteReading() {
    HybridClock local = new HybridClock(Clock.fixed(NOON, ZoneOffset.UTC));
    HybridClock remote = new HybridClock(Clock.fixed(NOON.minusSeconds(60), ZoneOffset.UTC));
    long last = local.now();

    local.observe(remote.now());

    assertThat(local.now()).isEqualTo(last + 1);
  }

  @Test
  void observeMovesTheClockNoFurtherThanTheMaximumDriftAheadOfTheWallClock() {
    HybridClock local = new HybridClock(Clock.fixed(NOON, ZoneOffset.UTC), Duration.ofMinutes(15));
    HybridClock hostile =
        new HybridClock(Clock.fixed(NOON.plus(Duration.ofDays(365)), ZoneOffset.UTC));

    assertThat(local.observe(hostile.now())).isFalse();
    long reading = local.now();

    assertThat(HybridClock.instantOf(reading)).isEqualTo(NOON.plus(Duration.ofMinutes(15)));
    assertThat(HybridClock.counterOf(reading)).isEqualTo(1);
  }

  @Test
  void observeFollowsAReadingWithinTheMaximumDrift() {
    HybridClock local = new HybridClock(Clock.fixed(NOON, ZoneOffset.UTC), Duration.ofMinutes(15));
    long ahead = new HybridClock(Clock.fixed(NOON.plusSeconds(14 * 60), ZoneOffset.UTC)).now();

    assertThat(local.observe(ahead)).isTrue();

    assertThat(local.now()).isEqualTo(ahead + 1);
  }

  @Test
  void eachNodeIdHasOneClock() {
    assertThat(HybridClock.forNode("clock-test-a")).isSameAs(HybridClock.forNode("clock-test-a"));
    assertThat(HybridClock.forNode("clock-test-a"))
        .isNotSameAs(HybridClock.forNode("clock-test-b"));
  }

  @Test
  void instantOfAndCounterOfDecodeAReading() {
    long reading = (NOON.toEpochMilli() << 16) | 0xBEEF;

    assertThat(HybridClock.instantOf(reading)).isEqualTo(NOON);
    assertThat(HybridClock.counterOf(reading)).isEqualTo(0xBEEF);
  }

  @Test
  void readingsAreUniqueAcrossThreads() throws Exception {
    HybridClock clock = new HybridClock(Clock.fixed(NOON, ZoneOffset.UTC));
    Set<Long> readings = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 5_000; i++) {
                    readings.add(clock.now());
                  }
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(readings).hasSize(20_000);
  }

  /** A wall clock the test moves by hand. */
  private static final class SettableClock extends Clock {
    private volatile Instant now;

    SettableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("HybridClock never changes the zone");
    }
  }
}
