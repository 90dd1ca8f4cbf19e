package io.deltasync.apply;

import io.deltasync.apply.internal.DeadLetterRows;
import io.deltasync.apply.internal.ParamBinder;
import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.conflict.internal.ConflictEngine;
import io.deltasync.conflict.internal.ConflictRows;
import io.deltasync.conflict.internal.Dialect;
import io.deltasync.conflict.internal.RowImages;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.Kind;
import io.deltasync.store.internal.DeltaRows;
import io.deltasync.store.internal.PointerRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies batches of other nodes' deltas to this node's database, exactly once, in order.
 *
 * <p>A batch applies in one transaction: its deltas execute in the sender's seq order, are stored
 * in {@code ds_delta} (so this node can pass them on and recognise them again), and the {@code
 * lastProcessed} pointer for the sender moves to the batch's {@code upToSeq}; a failure leaves none
 * of it. Deltas already stored, at or below the pointer, or originated by this node are skipped.
 * Deltas that fail {@link DeltaValidator} are recorded in {@code ds_dead_letter} and never
 * executed. The applier runs plain JDBC on its own connections, so what it applies is never
 * captured again. Batches from one sender are serialised by a lock on the pointer row. A batch that
 * starts after a seq the receiver has not reached is refused with {@link OutOfOrderBatchException},
 * so a lost batch is never skipped over.
 *
 * <p>Given {@link ConflictPolicies}, the applier is a hub for every sender but its upstream: a
 * delta that a sender originated is first checked for a conflict with what the hub holds (see
 * {@code io.deltasync.conflict}); a conflicting delta is resolved or parked in {@code ds_conflict}
 * instead of applied as it came, and the row images that follow are stored in the same transaction.
 * Row-image deltas from a hub apply as upserts. Thread-safe.
 */
public final class DeltaApplier {

  private static final Logger LOG = LoggerFactory.getLogger(DeltaApplier.class);

  private final DataSource dataSource;
  private final String nodeId;
  private final DeltaValidator validator;
  private final ConflictEngine conflicts;
  private final ConflictPolicies policies;
  private final String upstream;

  /** An applier that does not look for conflicts (a client, or nodes without a hub). */
  public DeltaApplier(DataSource dataSource, String nodeId, DeltaValidator validator) {
    this(dataSource, nodeId, validator, null, null);
  }

  /**
   * An applier that detects and resolves conflicts in what senders other than its upstream send.
   *
   * @param policies how conflicts are decided per table; null to detect none
   * @param upstream this node's own hub, whose deltas are never checked; null when it has none
   */
  public DeltaApplier(
      DataSource dataSource,
      String nodeId,
      DeltaValidator validator,
      ConflictPolicies policies,
      String upstream) {
    this.dataSource = dataSource;
    this.nodeId = Delta.requireNodeId(nodeId, "nodeId");
    this.validator = validator;
    this.conflicts = new ConflictEngine(nodeId, policies);
    this.policies = policies;
    this.upstream = upstream == null ? null : Delta.requireNodeId(upstream, "upstream");
  }

  /** Whether this applier detects conflicts in what the sender sends. */
  public boolean detectsConflictsFrom(String sender) {
    return policies != null && !sender.equals(upstream);
  }

  /** The policies deciding conflicts; null when this applier detects none. */
  public ConflictPolicies conflictPolicies() {
    return policies;
  }

  /** The validator deltas must pass before they run. */
  public DeltaValidator validator() {
    return validator;
  }

  /** The node this applier writes to. */
  public String nodeId() {
    return nodeId;
  }

  /**
   * Applies a batch from its sender.
   *
   * @throws DeltaApplyException when a delta fails to execute; nothing of the batch is kept
   * @throws OutOfOrderBatchException when the batch does not continue from this node's pointer
   */
  public ApplyResult apply(DeltaBatch batch) {
    String sender = batch.sender();
    try (Connection connection = dataSource.getConnection()) {
      PointerRows.ensure(connection, nodeId, sender);
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        ApplyResult result = applyIn(connection, batch);
        connection.commit();
        if (result.applied() > 0 || result.quarantined() > 0) {
          LOG.debug(
              "Applied batch {} from {}: {} applied, {} skipped, {} quarantined, pointer {}",
              batch.batchId(),
              sender,
              result.applied(),
              result.skipped(),
              result.quarantined(),
              result.lastProcessed());
        }
        return result;
      } catch (Failure failure) {
        connection.rollback();
        recordFailure(connection, batch, failure);
        throw failure.exception;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new DeltaApplyException(
          null,
          "could not apply batch " + batch.batchId() + " from " + sender + ": " + e.getMessage(),
          e);
    }
  }

  private ApplyResult applyIn(Connection connection, DeltaBatch batch)
      throws SQLException, Failure {
    String sender = batch.sender();
    if (detectsConflictsFrom(sender)) {
      ConflictRows.lock(connection); // first: see ConflictRows.lock
    }
    long lastProcessed = PointerRows.select(connection, nodeId, sender, true)[1];
    if (batch.afterSeq() > lastProcessed) {
      throw new OutOfOrderBatchException(
          "batch "
              + batch.batchId()
              + " from "
              + sender
              + " starts after seq "
              + batch.afterSeq()
              + ", but "
              + nodeId
              + " has processed only up to seq "
              + lastProcessed
              + "; a batch in between is missing, send again from seq "
              + lastProcessed,
          lastProcessed);
    }
    List<String> ids = batch.deltas().stream().map(Delta::id).toList();
    Set<String> seen = new HashSet<>(DeltaRows.existingIds(connection, ids));
    ConflictEngine.Batch conflictBatch = null;
    if (detectsConflictsFrom(sender)) {
      seen.addAll(ConflictRows.existingIds(connection, ids));
      conflictBatch = conflicts.begin(connection);
      conflictBatch.prepare(
          batch.deltas().stream()
              .filter(d -> d.origin().equals(sender) && !seen.contains(d.id()))
              .toList());
    }
    Dialect dialect = conflictBatch != null ? conflictBatch.dialect() : null;
    Set<String> ownRows =
        DeltaRows.ownRows(
            connection,
            nodeId,
            batch.deltas().stream().filter(d -> d.kind() == Kind.INSERT).toList());
    List<Delta> stored = new ArrayList<>();
    int skipped = 0;
    int quarantined = 0;
    int conflicted = 0;
    Map<String, PreparedStatement> statements = new HashMap<>();
    try {
      for (Delta delta : batch.deltas()) {
        if (delta.seq() <= lastProcessed
            || delta.origin().equals(nodeId)
            || !seen.add(delta.id())) {
          skipped++;
          continue;
        }
        Optional<String> problem = validator.problemWith(delta);
        if (problem.isPresent()) {
          quarantine(connection, delta, sender, problem.get());
          quarantined++;
          continue;
        }
        if (conflictBatch != null
            && delta.origin().equals(sender)
            && !admit(conflictBatch, delta, sender)) {
          conflicted++;
          continue;
        }
        if (RowImages.isUpsert(delta) || insertsOverOwnRow(delta, ownRows)) {
          dialect = dialect != null ? dialect : Dialect.of(connection);
          upsert(connection, dialect, delta, sender);
        } else {
          execute(statements, connection, delta, sender);
        }
        stored.add(delta);
      }
    } finally {
      for (PreparedStatement statement : statements.values()) {
        statement.close();
      }
    }
    DeltaRows.insert(connection, stored, sender);
    if (conflictBatch != null) {
      conflictBatch.finish();
    }
    long pointer = Math.max(lastProcessed, batch.upToSeq());
    PointerRows.advance(connection, nodeId, sender, "last_processed", pointer);
    DeadLetterRows.resolveFailed(connection, sender, pointer);
    return new ApplyResult(
        nodeId, sender, batch.batchId(), stored.size(), skipped, quarantined, pointer, conflicted);
  }

  /**
   * Whether the delta inserts a row this node wrote itself, so it may exist here while it did not
   * where the delta was captured: a conflict that the hub resolves with a row image following this
   * delta. Such an INSERT applies as an upsert, so the row passes through the hub's states in order
   * instead of stopping the stream on a duplicate key.
   */
  private boolean insertsOverOwnRow(Delta delta, Set<String> ownRows) {
    String row = DeltaRows.rowOf(delta);
    return delta.kind() == Kind.INSERT && row != null && ownRows.contains(row);
  }

  private boolean admit(ConflictEngine.Batch conflictBatch, Delta delta, String sender)
      throws Failure {
    try {
      return conflictBatch.admit(delta);
    } catch (SQLException | RuntimeException e) {
      throw failure(delta, sender, e);
    }
  }

  private void upsert(Connection connection, Dialect dialect, Delta delta, String sender)
      throws Failure {
    try {
      conflicts.upsert(connection, dialect, delta);
    } catch (SQLException | RuntimeException e) {
      throw failure(delta, sender, e);
    }
  }

  private void execute(
      Map<String, PreparedStatement> statements, Connection connection, Delta delta, String sender)
      throws Failure {
    try {
      PreparedStatement statement = statements.get(delta.sql());
      if (statement == null) {
        statement = connection.prepareStatement(delta.sql());
        statements.put(delta.sql(), statement);
      }
      ParamBinder.bind(statement, delta.params());
      statement.executeUpdate();
    } catch (SQLException | RuntimeException e) {
      throw failure(delta, sender, e);
    }
  }

  private static Failure failure(Delta delta, String sender, Exception e) {
    return new Failure(
        delta,
        new DeltaApplyException(
            delta.id(),
            "delta "
                + delta.id()
                + " (seq "
                + delta.seq()
                + " from "
                + sender
                + ", "
                + delta.statementId()
                + ") failed: "
                + e.getMessage()
                + "; the batch was rolled back and deltas from "
                + sender
                + " wait until it is retried or skipped",
            e));
  }

  private void quarantine(Connection connection, Delta delta, String sender, String reason)
      throws SQLException {
    LOG.warn(
        "Refused delta {} from {} (origin {}, {}): {}",
        delta.id(),
        sender,
        delta.origin(),
        delta.statementId(),
        reason);
    DeadLetterRows.record(connection, delta, sender, DeadLetterRows.QUARANTINED, reason);
  }

  private void recordFailure(Connection connection, DeltaBatch batch, Failure failure) {
    LOG.warn("{}", failure.exception.getMessage());
    try {
      DeadLetterRows.record(
          connection,
          failure.delta,
          batch.sender(),
          DeadLetterRows.FAILED,
          String.valueOf(failure.exception.getCause()));
      connection.commit();
    } catch (SQLException e) {
      failure.exception.addSuppressed(e);
    }
  }

  /** A delta that failed to execute, carried out of the transaction. */
  private static final class Failure extends Exception {
    private final Delta delta;
    private final DeltaApplyException exception;

    Failure(Delta delta, DeltaApplyException exception) {
      super(exception.getMessage(), null, false, false);
      this.delta = delta;
      this.exception = exception;
    }
  }
}
