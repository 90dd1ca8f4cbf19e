package io.deltasync.apply.internal;

import io.deltasync.delta.Delta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes an applier's deltas on its transaction, in the order given: consecutive deltas with the
 * same SQL text wait in a run and execute as one JDBC batch ({@code addBatch}/{@code
 * executeBatch}), so a run costs about one round trip instead of one per delta. A delta with other
 * SQL, or {@link #flush()}, executes what waits first; the caller flushes before anything that must
 * see the earlier deltas' effects (a conflict decision, an upsert, the row images).
 *
 * <p>When a run of several deltas fails, the batch cannot tell which delta failed (drivers differ
 * in what they report, and PostgreSQL aborts the transaction): {@link Failed#delta()} is then null,
 * and the caller rolls back and applies the batch again one delta at a time, which names the delta
 * that fails. Without batching (or for a run of one) each delta executes at once and a failure
 * names it. Update counts are checked per delta: a driver's {@link Statement#SUCCESS_NO_INFO} is
 * accepted, {@link Statement#EXECUTE_FAILED} or a missing count fails the run. Not thread-safe; one
 * per transaction.
 */
public final class StatementRuns implements AutoCloseable {

  private final Connection connection;
  private final boolean batching;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final List<Delta> run = new ArrayList<>();
  private final List<Delta> changedNothing = new ArrayList<>();

  /**
   * @param batching whether runs of the same SQL execute as JDBC batches; false executes each delta
   *     on its own
   */
  public StatementRuns(Connection connection, boolean batching) {
    this.connection = connection;
    this.batching = batching;
  }

  /**
   * Executes the delta after those before it: now, or with the run it continues.
   *
   * @param seconds the query timeout for what executes now
   */
  public void add(Delta delta, int seconds) throws Failed {
    if (!run.isEmpty() && !run.get(0).sql().equals(delta.sql())) {
      flush(seconds);
    }
    run.add(delta);
    if (!batching) {
      flush(seconds);
    }
  }

  /** The deltas executed so far whose statement changed no row (the driver said 0). */
  public List<Delta> changedNothing() {
    return List.copyOf(changedNothing);
  }

  /** How many deltas wait in the run. */
  public int waiting() {
    return run.size();
  }

  /**
   * Executes the deltas that wait.
   *
   * @param seconds the query timeout for the run
   */
  public void flush(int seconds) throws Failed {
    if (run.isEmpty()) {
      return;
    }
    List<Delta> deltas = List.copyOf(run);
    run.clear();
    Delta only = deltas.size() == 1 ? deltas.get(0) : null;
    try {
      PreparedStatement statement = statement(deltas.get(0).sql());
      statement.setQueryTimeout(seconds);
      if (only != null) {
        ParamBinder.bind(statement, only.params());
        if (statement.executeUpdate() == 0) {
          changedNothing.add(only);
        }
        return;
      }
      for (Delta delta : deltas) {
        ParamBinder.bind(statement, delta.params());
        statement.addBatch();
      }
      int[] counts = statement.executeBatch();
      if (counts.length != deltas.size()) {
        throw new Failed(
            null,
            new SQLException(
                "the driver reported "
                    + counts.length
                    + " update counts for a batch of "
                    + deltas.size()
                    + " statements"));
      }
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] < 0 && counts[i] != Statement.SUCCESS_NO_INFO) {
          throw new Failed(null, new SQLException("a statement of the batch failed: " + counts[i]));
        }
        if (counts[i] == 0) {
          changedNothing.add(deltas.get(i));
        }
      }
    } catch (SQLException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
      throw new Failed(only, e);
    }
  }

  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  /** Closes the prepared statements; what still waits is dropped. */
  @Override
  public void close() throws SQLException {
    run.clear();
    SQLException first = null;
    for (PreparedStatement statement : statements.values()) {
      try {
        statement.close();
      } catch (SQLException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    statements.clear();
    if (first != null) {
      throw first;
    }
  }

  /** A run failed to execute. */
  public static final class Failed extends Exception {

    private final transient Delta delta;

    Failed(Delta delta, Throwable cause) {
      super(String.valueOf(cause), cause, false, false);
      this.delta = delta;
    }

    /** The delta that failed, or null when a run of several failed as a whole. */
    public Delta delta() {
      return delta;
    }
  }
}
