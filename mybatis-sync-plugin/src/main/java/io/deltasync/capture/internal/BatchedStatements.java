package io.deltasync.capture.internal;

import io.deltasync.capture.DeltaCaptureException;
import java.sql.BatchUpdateException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.ibatis.executor.BatchExecutorException;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.mapping.MappedStatement;

/**
 * The statements a BATCH executor holds until it is flushed, in the order they were issued, each
 * with what DeltaSync prepared for it. MyBatis reports their row counts only when it flushes, group
 * by group; this matches the counts back to the statements. Not thread-safe.
 */
final class BatchedStatements {

  /** One issued statement; its candidate is null when it is not recorded. */
  private record Queued(MappedStatement statement, DeltaBuilder.Candidate candidate) {}

  private final ArrayDeque<Queued> queue = new ArrayDeque<>();

  /** Notes a statement the executor queued; candidate null when it is not to be recorded. */
  void add(MappedStatement statement, DeltaBuilder.Candidate candidate) {
    queue.add(new Queued(statement, candidate));
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Forgets every statement, as the executor does on rollback and close. */
  void clear() {
    queue.clear();
  }

  /** The candidates whose statements changed rows, per the results of a successful flush. */
  List<DeltaBuilder.Candidate> changed(List<BatchResult> results) {
    List<DeltaBuilder.Candidate> changed = new ArrayList<>();
    try {
      for (BatchResult result : results) {
        int[] counts = result.getUpdateCounts();
        int statements = result.getParameterObjects().size();
        for (int i = 0; i < statements; i++) {
          int count = counts == null || i >= counts.length ? Statement.SUCCESS_NO_INFO : counts[i];
          match(result.getMappedStatement().getId(), count, changed);
        }
      }
    } catch (RuntimeException e) {
      queue.clear(); // the executor has nothing queued any more either
      throw e;
    }
    return changed;
  }

  /**
   * The candidates whose statements changed rows before a flush failed: all of the statement groups
   * that completed, and of the failed group those the driver reports as executed. JDBC drivers
   * either go on after a failing statement and report it as {@link Statement#EXECUTE_FAILED}, or
   * stop and report only the statements before it; the executor never runs the groups after it.
   * Empties the queue.
   */
  List<DeltaBuilder.Candidate> changed(BatchExecutorException failure) {
    try {
      List<DeltaBuilder.Candidate> changed = changed(failure.getSuccessfulBatchResults());
      BatchUpdateException cause = failure.getBatchUpdateException();
      int[] counts = cause == null ? null : cause.getUpdateCounts();
      if (counts != null) {
        for (int count : counts) {
          match(failure.getFailingStatementId(), count, changed);
        }
      }
      return changed;
    } finally {
      queue.clear();
    }
  }

  private void match(String statementId, int count, List<DeltaBuilder.Candidate> changed) {
    Queued queued = queue.poll();
    if (queued == null || !queued.statement().getId().equals(statementId)) {
      throw new DeltaCaptureException(
          "the batch results of "
              + statementId
              + " do not match the statements DeltaSync saw ("
              + (queued == null ? "none left" : "next is " + queued.statement().getId())
              + "); is another plugin executing statements?");
    }
    if (queued.candidate() != null && count != 0 && count != Statement.EXECUTE_FAILED) {
      changed.add(queued.candidate());
    }
  }
}
