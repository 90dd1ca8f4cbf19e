package io.deltasync.capture.internal;

import io.deltasync.capture.DeltaCaptureException;
import io.deltasync.capture.SyncContext;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.store.internal.DeltaRows;
import io.deltasync.store.internal.PointerRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.ibatis.cache.CacheKey;
import org.apache.ibatis.executor.BatchExecutor;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capture for one executor (one SqlSession): records each mutation after it executed and writes the
 * transaction's deltas on the executor's own connection just before the transaction commits.
 *
 * <p>Writing at commit keeps the deltas of a transaction together and cheap (one JDBC batch), and a
 * rollback leaves nothing behind. In auto-commit mode there is no transaction to join, so each
 * statement runs in a short local transaction with its delta. BATCH executors report row counts
 * only when flushed, so their statements wait in {@link #batched} until then. Like its SqlSession,
 * not thread-safe.
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
      args = {boolean.class})
})
public final class SessionCapture implements Interceptor {

  private static final Logger LOG = LoggerFactory.getLogger(SessionCapture.class);

  private final DeltaBuilder builder;
  private final Executor executor;
  private final ArrayDeque<DeltaBuilder.Candidate> batched = new ArrayDeque<>();
  private final List<Delta> pending = new ArrayList<>();
  private String txId;

  public SessionCapture(DeltaBuilder builder, Executor executor) {
    this.builder = builder;
    this.executor = executor;
  }

  @Override
  public Object intercept(Invocation invocation) throws Throwable {
    String method = invocation.getMethod().getName();
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
    if (method.equals("update") || !batched.isEmpty()) {
      Connection connection = connection();
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

  private Object capture(String method, Invocation invocation) throws Throwable {
    switch (method) {
      case "update":
        return update(invocation);
      case "query", "queryCursor":
        collectBatch();
        return invocation.proceed();
      case "flushStatements":
        return absorb(invocation.proceed());
      case "commit":
        collectBatch();
        write();
        Object committed = invocation.proceed();
        txId = null;
        return committed;
      default:
        return invocation.proceed();
    }
  }

  private Object inLocalTransaction(Connection connection, Step step) throws Throwable {
    connection.setAutoCommit(false);
    try {
      Object result = step.run();
      write();
      connection.commit();
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
    int count = (Integer) result;
    MappedStatement statement = (MappedStatement) invocation.getArgs()[0];
    Object parameter = invocation.getArgs()[1];
    if (count == BatchExecutor.BATCH_UPDATE_RETURN_VALUE) {
      // a placeholder keeps the queue aligned with the batch results
      batched.add(suppressed ? SKIPPED : prepareOrSkip(statement, parameter));
      return result;
    }
    if (suppressed || count == 0) {
      return result;
    }
    DeltaBuilder.Candidate candidate = builder.prepare(statement, parameter);
    if (candidate != null) {
      Delta delta = builder.finish(candidate, txId(), connection());
      if (delta != null) {
        pending.add(delta);
      }
    }
    return result;
  }

  private static final DeltaBuilder.Candidate SKIPPED =
      new DeltaBuilder.Candidate(null, null, null, null, null, null, List.of());

  private DeltaBuilder.Candidate prepareOrSkip(MappedStatement statement, Object parameter) {
    DeltaBuilder.Candidate candidate = builder.prepare(statement, parameter);
    return candidate == null ? SKIPPED : candidate;
  }

  /** Flushes statements the BATCH executor still holds, so their row counts are known. */
  private void collectBatch() throws SQLException {
    if (!batched.isEmpty()) {
      try {
        absorb(executor.flushStatements());
      } catch (RuntimeException | SQLException e) {
        batched.clear();
        throw e;
      }
    }
  }

  private Object absorb(Object flushResult) {
    @SuppressWarnings("unchecked")
    List<BatchResult> results = (List<BatchResult>) flushResult;
    for (BatchResult result : results) {
      int[] counts = result.getUpdateCounts();
      for (int i = 0; i < result.getParameterObjects().size(); i++) {
        DeltaBuilder.Candidate candidate = batched.poll();
        if (candidate == null) {
          throw new DeltaCaptureException(
              "batch results of "
                  + result.getMappedStatement().getId()
                  + " outnumber the"
                  + " statements DeltaSync saw; is another plugin executing statements?");
        }
        if (candidate != SKIPPED && (counts == null || i >= counts.length || counts[i] != 0)) {
          Delta delta = builder.finish(candidate, txId(), connection());
          if (delta != null) {
            pending.add(delta);
          }
        }
      }
    }
    return flushResult;
  }

  private Object close(Invocation invocation) throws Throwable {
    boolean forceRollback = (Boolean) invocation.getArgs()[0];
    batched.clear(); // the executor discards unflushed batch statements on close
    DeltaCaptureException failure = null;
    if (forceRollback) {
      discard();
    } else {
      // closing without rollback may still commit (auto-commit reset, managed transactions)
      try {
        write();
      } catch (DeltaCaptureException e) {
        failure = e;
      }
    }
    Object result = invocation.proceed();
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  private void write() {
    if (pending.isEmpty()) {
      return;
    }
    Connection connection = connection();
    try {
      long basis = 0;
      String upstream = builder.settings().upstream();
      if (upstream != null) {
        long[] pointers =
            PointerRows.select(connection, builder.settings().nodeId(), upstream, false);
        basis = pointers == null ? 0 : pointers[1];
      }
      List<Delta> deltas = pending;
      if (basis > 0) {
        long b = basis;
        deltas = pending.stream().map(d -> d.withBasis(b)).toList();
      }
      DeltaRows.insert(connection, deltas, null);
      LOG.debug("Recorded {} deltas of transaction {}", deltas.size(), txId);
    } catch (SQLException e) {
      throw new DeltaCaptureException(
          "could not record "
              + pending.size()
              + " deltas in ds_delta (is the DeltaSync schema installed?): "
              + e.getMessage(),
          e);
    } finally {
      pending.clear();
    }
  }

  private void discard() {
    batched.clear();
    pending.clear();
    txId = null;
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
