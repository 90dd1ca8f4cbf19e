package io.deltasync.bench;

import com.sun.management.OperatingSystemMXBean;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Samples, every {@link #PERIOD_MILLIS} ms while clients push, what the hub's work is waiting on:
 * its PostgreSQL sessions running a statement, waiting for a lock, or idle inside a transaction
 * ({@code pg_stat_activity}), its request threads waiting for a pooled connection (Hikari), and how
 * busy the machine's CPUs are. The means over the samples go into table 4.
 */
final class HubSampler implements AutoCloseable {

  static final int PERIOD_MILLIS = 10;

  private static final String SESSIONS =
      "SELECT COUNT(*) FILTER (WHERE state = 'active' AND wait_event_type = 'Lock'),"
          + " COUNT(*) FILTER (WHERE state = 'active'"
          + " AND wait_event_type IS DISTINCT FROM 'Lock'),"
          + " COUNT(*) FILTER (WHERE state = 'idle in transaction')"
          + " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";

  private final DataSource hubDb;
  private final HikariDataSource pool;
  private final Thread thread;
  private volatile boolean stopped;
  private long samples;
  private long waitingForLock;
  private long running;
  private long inTransaction;
  private long waitingForConnection;
  private double cpu;

  HubSampler(DataSource hubDb, HikariDataSource pool) {
    this.hubDb = hubDb;
    this.pool = pool;
    this.thread = new Thread(this::sample, "hub-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  /** Mean hub sessions waiting for a lock. */
  double waitingForLock() {
    return (double) waitingForLock / Math.max(1, samples);
  }

  /** Mean hub sessions running a statement, not waiting for a lock. */
  double running() {
    return (double) running / Math.max(1, samples);
  }

  /**
   * Mean hub sessions inside a transaction but not running a statement: the application is working
   * (or waiting) between two statements while it holds the transaction's locks.
   */
  double inTransaction() {
    return (double) inTransaction / Math.max(1, samples);
  }

  /** Mean hub threads waiting for a pooled connection. */
  double waitingForConnection() {
    return (double) waitingForConnection / Math.max(1, samples);
  }

  /** Mean CPU use of the whole machine, 0 to 100 %. */
  double cpuPercent() {
    return 100 * cpu / Math.max(1, samples);
  }

  private void sample() {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    os.getCpuLoad(); // the first reading has no interval to measure over
    try (Connection connection = hubDb.getConnection();
        PreparedStatement sessions = connection.prepareStatement(SESSIONS)) {
      connection.setAutoCommit(true);
      while (!stopped) {
        LockSupport.parkNanos(PERIOD_MILLIS * 1_000_000L);
        try (ResultSet row = sessions.executeQuery()) {
          row.next();
          waitingForLock += row.getLong(1);
          running += row.getLong(2);
          inTransaction += row.getLong(3);
        }
        HikariPoolMXBean connections = pool.getHikariPoolMXBean(); // null until first used
        waitingForConnection +=
            connections == null ? 0 : connections.getThreadsAwaitingConnection();
        cpu += Math.max(0, os.getCpuLoad());
        samples++;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not sample the hub's sessions", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join();
  }
}
