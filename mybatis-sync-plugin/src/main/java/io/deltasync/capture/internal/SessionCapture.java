package io.deltasync.capture.internal;

import io.deltasync.capture.DeltaCaptureException;
import io.deltasync.capture.SyncContext;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.store.internal.CommittingInsert;
import io.deltasync.store.internal.DeltaRows;
import java.lang.reflect.InvocationTargetException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.ibatis.cache.CacheKey;
import org.apache.ibatis.executor.BatchExecutor;
import org.apache.ibatis.executor.BatchExecutorException;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.executor.Executor;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.session.ResultHandler;
import org.apache.ibatis.session.RowBounds;
import org.apache.ibatis.transaction.Transaction;
import org.apache.ibatis.transaction.jdbc.JdbcTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capture for one executor (one SqlSession): records each mutation after it executed and writes the
 * transaction's deltas on the executor's own connection just before the transaction commits.
 *
 * <p>Writing at commit keeps the deltas of a transaction together and cheap (one JDBC batch), and a
 * rollback leaves nothing behind. In auto-commit mode there is no transaction to join, so each
 * statement runs in a short local transaction with its delta. BATCH executors report row counts
 * only when flushed, so their statements wait in {@link #batched} until then.
 *
 * <p>Statements whose change could not be recorded are refused before they run where that can be
 * known in advance (see {@link StatementGuard}). When recording fails after a statement ran, the
 * transaction is marked and its commit fails until it is rolled back. Like its SqlSession, not
 * thread-safe.
 */
@Intercepts({
  @Signature(
      type = Executor.class,
      method = "update",
      args = {MappedStatement.class, Object.class}),
  @Signature(
      type = Executor.class,
      method = "query",
      args = {MappedStatement.class, Object.class, RowBounds.class, ResultHandler.class}),
  @Signature(
      type = Executor.class,
      method = "query",
      args = {
        MappedStatement.class,
        Object.class,
        RowBounds.class,
        ResultHandler.class,
        CacheKey.class,
        BoundSql.class
      }),
  @Signature(
      type = Executor.class,
      method = "queryCursor",
      args = {MappedStatement.class, Object.class, RowBounds.class}),
  @Signature(
      type = Executor.class,
      method = "flushStatements",
      args = {}),
  @Signature(
      type = Executor.class,
      method = "commit",
      args = {boolean.class}),
  @Signature(
      type = Executor.class,
      method = "rollback",
      args = {boolean.class}),
  @Signature(
      type = Executor.class,
      method = "close",
      args = {boolean.class}),
  @Signature(
      type = Executor.class,
      method = "getTransaction",
      args = {})
})
public final class SessionCapture implements Interceptor {

  private static final Logger LOG = LoggerFactory.getLogger(SessionCapture.class);

  private final DeltaBuilder builder;
  private final Executor executor;
  private final BatchedStatements batched = new BatchedStatements();
  private final List<Delta> pending = new ArrayList<>();
  private final Savepoints savepoints = new Savepoints(pending, this::unrecorded);
  private String txId;

  /**
   * Why a change of the open transaction went unrecorded; while set, commits fail. Cleared by
   * rollback and close.
   */
  private DeltaCaptureException unrecorded;

  public SessionCapture(DeltaBuilder builder, Executor executor) {
    this.builder = builder;
    this.executor = executor;
  }

  @Override
  public Object intercept(Invocation invocation) throws Throwable {
    String method = invocation.getMethod().getName();
    Object[] args = invocation.getArgs();
    if (args != null && args.length > 0 && args[0] instanceof MappedStatement statement) {
      StatementCaches.watch(statement.getConfiguration());
    }
    if (method.equals("getTransaction")) {
      return savepoints.observe((Transaction) invocation.proceed());
    }
    if (method.equals("commit")) {
      savepoints.clear();
    }
    if (method.equals("rollback")) {
      try {
        return invocation.proceed();
      } finally {
        discard();
      }
    }
    if (method.equals("close")) {
      return close(invocation);
    }
    refuseUnrecordable(method, invocation.getArgs());
    if (method.equals("update") || !batched.isEmpty()) {
      Connection connection = connection();
      savepoints.watch(connection);
      if (autoCommit(connection)) {
        // no transaction to join: make one, so the change and its delta commit together
        return inLocalTransaction(connection, () -> capture(method, invocation));
      }
    }
    return capture(method, invocation);
  }

  private interface Step {
    Object run() throws Throwable;
  }

  /** Refuses, before it runs, a statement whose change would otherwise go unrecorded. */
  private void refuseUnrecordable(String method, Object[] args) {
    if (!(method.equals("update") || method.startsWith("query")) || SyncContext.isSuppressed()) {
      return;
    }
    MappedStatement statement = (MappedStatement) args[0];
    if (method.equals("update")) {
      builder.guard().checkUpdate(statement, args[1], this::connection);
    } else {
      BoundSql boundSql = args.length == 6 ? (BoundSql) args[5] : null;
      builder.guard().checkQuery(statement, args[1], boundSql);
    }
  }

  private Object capture(String method, Invocation invocation) throws Throwable {
    switch (method) {
      case "update":
        return update(invocation);
      case "query", "queryCursor":
        collectBatch();
        return invocation.proceed();
      case "flushStatements":
        return flush(invocation::proceed);
      case "commit":
        if (unrecorded != null) {
          throw unrecordedChange();
        }
        collectBatch();
        // where this session owns the commit, the deltas' insert may commit too (one round trip
        // less); the executor's own commit then finds the transaction over and does nothing
        boolean wrote;
        try {
          wrote = write((Boolean) invocation.getArgs()[0] && ownsCommit());
        } catch (DeltaCaptureException e) {
          if (e.getCause() instanceof SQLException database && rolledBack(database)) {
            // the database ended the transaction (serialization failure, deadlock): fail the
            // commit with its own error, which the application's retry logic knows
            throw database;
          }
          throw e;
        }
        Object committed = invocation.proceed();
        txId = null;
        if (wrote) {
          CommitWake.deltasWritten(builder.settings().nodeId(), ownsCommit());
        }
        return committed;
      default:
        return invocation.proceed();
    }
  }

  private Object inLocalTransaction(Connection connection, Step step) throws Throwable {
    connection.setAutoCommit(false);
    try {
      Object result = step.run();
      boolean wrote = write();
      connection.commit();
      if (wrote) {
        CommitWake.deltasWritten(builder.settings().nodeId(), true);
      }
      return result;
    } catch (Throwable failure) {
      discard();
      connection.rollback();
      throw failure;
    } finally {
      txId = null;
      connection.setAutoCommit(true);
    }
  }

  private Object update(Invocation invocation) throws Throwable {
    boolean suppressed = SyncContext.isSuppressed();
    Object result = invocation.proceed();
    // the statement ran (or is queued to run): from here on, a failure leaves a change unrecorded
    try {
      int count = (Integer) result;
      MappedStatement statement = (MappedStatement) invocation.getArgs()[0];
      Object parameter = invocation.getArgs()[1];
      if (count == BatchExecutor.BATCH_UPDATE_RETURN_VALUE) {
        DeltaBuilder.Candidate candidate = null;
        try {
          candidate = suppressed ? null : builder.prepare(statement, parameter);
        } finally {
          batched.add(statement, candidate); // keeps the queue aligned with the executor's
        }
      } else if (!suppressed && count != 0) {
        DeltaBuilder.Candidate candidate = builder.prepare(statement, parameter);
        if (candidate != null) {
          record(List.of(candidate));
        }
      }
      return result;
    } catch (RuntimeException e) {
      throw unrecorded(e);
    }
  }

  /** Flushes statements the BATCH executor still holds, so their row counts are known. */
  private void collectBatch() throws Throwable {
    if (!batched.isEmpty()) {
      flush(executor::flushStatements);
    }
  }

  /** Runs a flush of the BATCH executor and records the statements that changed rows. */
  private Object flush(Step flush) throws Throwable {
    Object results;
    try {
      results = flush.run();
    } catch (Throwable e) {
      Throwable cause = e instanceof InvocationTargetException thrown ? thrown.getCause() : e;
      if (cause instanceof BatchExecutorException failure) {
        // the application may catch this and commit what did run, so record exactly that
        try {
          record(batched.changed(failure));
        } catch (RuntimeException captureFailure) {
          unrecorded(captureFailure);
          failure.addSuppressed(captureFailure);
        }
      } else {
        batched.clear();
        unrecorded(
            new DeltaCaptureException(
                "flushing the batch failed, so DeltaSync cannot tell which statements ran: "
                    + cause,
                cause));
      }
      throw e;
    }
    try {
      @SuppressWarnings("unchecked")
      List<BatchResult> batchResults = (List<BatchResult>) results;
      record(batched.changed(batchResults));
    } catch (RuntimeException e) {
      throw unrecorded(e);
    }
    return results;
  }

  /** Completes the deltas of statements that changed rows and keeps them for the commit. */
  private void record(List<DeltaBuilder.Candidate> candidates) {
    for (DeltaBuilder.Candidate candidate : candidates) {
      Delta delta = builder.finish(candidate, txId(), connection());
      if (delta != null) {
        pending.add(delta);
      }
    }
  }

  /** Marks the transaction as holding an unrecorded change, so that it cannot commit. */
  private <E extends RuntimeException> E unrecorded(E failure) {
    if (unrecorded == null) {
      unrecorded =
          failure instanceof DeltaCaptureException capture
              ? capture
              : new DeltaCaptureException("could not record a statement: " + failure, failure);
    }
    return failure;
  }

  private DeltaCaptureException unrecordedChange() {
    return new DeltaCaptureException(
        "an earlier statement of this transaction could not be recorded ("
            + unrecorded.getMessage()
            + "); roll back the transaction, since committing it would keep a change that no"
            + " other node receives",
        unrecorded);
  }

  private Object close(Invocation invocation) throws Throwable {
    boolean forceRollback = (Boolean) invocation.getArgs()[0];
    batched.clear(); // the executor discards unflushed batch statements on close
    DeltaCaptureException failure = null;
    boolean wrote = false;
    if (!forceRollback) {
      // closing without rollback may still commit (auto-commit reset, managed transactions)
      failure = unrecorded == null ? null : unrecordedChange();
      try {
        wrote = write();
      } catch (DeltaCaptureException e) {
        failure = failure == null ? e : failure;
      }
    }
    discard();
    Object result = invocation.proceed();
    if (wrote) {
      CommitWake.deltasWritten(builder.settings().nodeId(), false);
    }
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  private boolean write() {
    return write(false);
  }

  /**
   * Writes the pending deltas; with {@code mayCommit}, the database may commit the transaction in
   * the same statement (see {@link CommittingInsert}); returns whether there were deltas to write.
   */
  private boolean write(boolean mayCommit) {
    if (pending.isEmpty()) {
      return false;
    }
    Connection connection = connection();
    try {
      // each delta's basis, the node's lastProcessed from its upstream, is read by the insert
      String nodeId = builder.settings().nodeId();
      String upstream = builder.settings().upstream();
      if (!(mayCommit && CommittingInsert.insertAndCommit(connection, pending, nodeId, upstream))) {
        DeltaRows.insertCaptured(connection, pending, nodeId, upstream);
      }
      LOG.debug("Recorded {} deltas of transaction {}", pending.size(), txId);
      return true;
    } catch (SQLException e) {
      throw unrecorded(
          new DeltaCaptureException(
              "could not record " + pending.size() + " deltas in ds_delta: " + e.getMessage(), e));
    } finally {
      pending.clear();
    }
  }

  /** SQLSTATE class 40, transaction rollback: a serialization failure, a deadlock. */
  private static boolean rolledBack(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("40");
  }

  private void discard() {
    batched.clear();
    pending.clear();
    txId = null;
    unrecorded = null;
    savepoints.clear();
  }

  /**
   * Whether this session's commit is the transaction's end: plain MyBatis JDBC transactions, not
   * managed ones (Spring's, a container's), where others may still work in the transaction.
   */
  private boolean ownsCommit() {
    return executor.getTransaction().getClass() == JdbcTransaction.class;
  }

  private String txId() {
    if (txId == null) {
      txId = DeltaIds.next();
    }
    return txId;
  }

  private Connection connection() {
    try {
      return executor.getTransaction().getConnection();
    } catch (SQLException e) {
      throw new DeltaCaptureException("could not get the session's connection: " + e, e);
    }
  }

  private static boolean autoCommit(Connection connection) {
    try {
      return connection.getAutoCommit();
    } catch (SQLException e) {
      throw new DeltaCaptureException("could not read the connection's auto-commit mode", e);
    }
  }
}
