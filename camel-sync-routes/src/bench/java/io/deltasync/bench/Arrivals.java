package io.deltasync.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Notes when each row of a run becomes visible in one database: a thread on its own connection
 * reads the run's ids above the highest seen so far every {@link #PERIOD}, and stamps each new one
 * with the time of that poll. A row's arrival is so known to within one poll (the period plus the
 * query's own time; {@link #meanPollMillis} says how long a poll cycle took on average).
 */
final class Arrivals {

  /** How long the poller sleeps between two reads. */
  static final Duration PERIOD = Duration.ofMillis(1);

  private final DataSource db;
  private final long first;
  private final long[] arrivedAt;
  private volatile boolean stopped;
  private volatile int arrived;
  private volatile long polls;
  private volatile long pollingNanos;
  private volatile Throwable failure;
  private final Thread thread;

  /** Starts watching for ids {@code first .. first + count - 1}. */
  Arrivals(DataSource db, long first, int count) {
    this.db = db;
    this.first = first;
    this.arrivedAt = new long[count];
    this.thread = new Thread(this::poll, "arrivals");
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits until every row arrived, at most the timeout; then stops polling. */
  void awaitAll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (arrived < arrivedAt.length && failure == null && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    stopped = true;
    thread.join();
    if (failure != null) {
      throw new IllegalStateException("polling for arrivals failed", failure);
    }
    if (arrived < arrivedAt.length) {
      throw new IllegalStateException(
          arrived + " of " + arrivedAt.length + " rows arrived within " + timeout);
    }
  }

  /** The {@link System#nanoTime()} of the poll that first saw row {@code first + i}. */
  long arrivedAt(int i) {
    return arrivedAt[i];
  }

  /** The mean time from one poll to the next, in milliseconds: the resolution of the arrivals. */
  double meanPollMillis() {
    return polls == 0 ? 0 : pollingNanos / 1e6 / polls;
  }

  private void poll() {
    long started = System.nanoTime();
    long last = first + arrivedAt.length - 1;
    long highest = first - 1;
    try (Connection connection = db.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT id FROM note WHERE id > ? AND id <= ? ORDER BY id")) {
      connection.setAutoCommit(true);
      while (!stopped) {
        select.setLong(1, highest);
        select.setLong(2, last);
        try (ResultSet rows = select.executeQuery()) {
          long now = System.nanoTime();
          while (rows.next()) {
            highest = rows.getLong(1);
            arrivedAt[(int) (highest - first)] = now;
            arrived++;
          }
        }
        polls++;
        pollingNanos = System.nanoTime() - started;
        LockSupport.parkNanos(PERIOD.toNanos());
      }
    } catch (SQLException | RuntimeException e) {
      failure = e;
    }
  }
}
