package io.deltasync.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Watches one database, on its own thread and connection, for the last row of a run: polls the
 * highest note id of the run's id range every {@link #PERIOD} (or the period given) until it is the
 * last id. Rows arrive in commit order, a transaction at a time, so the last id visible means every
 * row is (the run checks the count afterwards).
 */
final class RowWatch {

  /** How long the watch sleeps between two polls, for runs timed to the millisecond. */
  static final Duration PERIOD = Duration.ofMillis(2);

  /**
   * The period for runs of many seconds (a load, a backlog's drain): off by at most 1 % of such a
   * run, while each poll of an H2 client in a process of its own costs that process a query over
   * H2's server, which at {@link #PERIOD} took a share of its CPU.
   */
  static final Duration SLOW_PERIOD = Duration.ofMillis(50);

  private final CompletableFuture<Long> seen;

  private RowWatch(CompletableFuture<Long> seen) {
    this.seen = seen;
  }

  /** Starts watching for id {@code last} in {@code [first, last]}. */
  static RowWatch start(String name, DataSource db, long first, long last, Duration timeout) {
    return start(name, db, first, last, PERIOD, timeout);
  }

  /** As above, polling every {@code period}. */
  static RowWatch start(
      String name, DataSource db, long first, long last, Duration period, Duration timeout) {
    CompletableFuture<Long> seen = new CompletableFuture<>();
    Thread thread =
        new Thread(() -> watch(db, first, last, period, timeout, seen), "row-watch-" + name);
    thread.setDaemon(true);
    thread.start();
    return new RowWatch(seen);
  }

  /** The {@link System#nanoTime()} at which the poll first saw the last row. */
  long await() {
    try {
      return seen.get(1, TimeUnit.DAYS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("interrupted while waiting for rows", e);
    }
  }

  private static void watch(
      DataSource db,
      long first,
      long last,
      Duration period,
      Duration timeout,
      CompletableFuture<Long> seen) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Connection connection = db.getConnection();
        PreparedStatement highest =
            connection.prepareStatement("SELECT MAX(id) FROM note WHERE id BETWEEN ? AND ?")) {
      connection.setAutoCommit(true);
      highest.setLong(1, first);
      highest.setLong(2, last);
      while (true) {
        try (ResultSet row = highest.executeQuery()) {
          row.next();
          if (row.getLong(1) == last) {
            seen.complete(System.nanoTime());
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          seen.completeExceptionally(
              new IllegalStateException("row " + last + " did not arrive within " + timeout));
          return;
        }
        LockSupport.parkNanos(period.toNanos());
      }
    } catch (SQLException | RuntimeException e) {
      seen.completeExceptionally(e);
    }
  }
}
