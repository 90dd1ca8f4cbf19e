package io.deltasync.apply.internal;

import io.deltasync.apply.DeadLetter;
import io.deltasync.apply.DeadLetterException;
import io.deltasync.apply.DeadLetterOutcome;
import io.deltasync.apply.DeltaApplier;
import io.deltasync.conflict.internal.ConflictEngine;
import io.deltasync.conflict.internal.ConflictRows;
import io.deltasync.conflict.internal.Dialect;
import io.deltasync.conflict.internal.RowImages;
import io.deltasync.delta.Delta;
import io.deltasync.store.internal.DeltaRows;
import io.deltasync.store.internal.PointerRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * How {@code DeadLetters} retries: a quarantined delta applied once in the caller's transaction,
 * the way the applier applies a delta; a failed one tried alone and rolled back.
 */
public final class DeadLetterRetry {

  private final DeltaApplier applier;
  private final ConflictEngine conflicts;

  public DeadLetterRetry(DeltaApplier applier) {
    this.applier = applier;
    this.conflicts =
        new ConflictEngine(applier.nodeId(), applier.conflictPolicies(), applier.clock());
  }

  /**
   * Takes the locks the applier takes for a batch from the sender, in its order, so an operator's
   * action and a batch from that sender run one after the other.
   */
  public void lockStream(Connection connection, String sender) throws SQLException {
    if (applier.detectsConflictsFrom(sender)) {
      ConflictRows.lock(connection);
    }
    PointerRows.select(connection, applier.nodeId(), sender, true);
  }

  /** Validates a locked QUARANTINED record's delta again and applies it when it passes. */
  public DeadLetterOutcome retryQuarantined(Connection connection, DeadLetter letter, String who)
      throws SQLException {
    String sender = letter.receivedFrom();
    Delta delta = decoded(letter);
    Optional<String> problem = applier.problemWith(connection, delta, sender);
    if (problem.isPresent()) {
      DeadLetterRows.attemptFailed(connection, letter.id(), problem.get());
      return outcome(letter, false, DeadLetterRows.QUARANTINED, "still refused: " + problem.get());
    }
    delta = applier.derived(connection, delta);
    if (!DeltaRows.existingIds(connection, List.of(delta.id())).isEmpty()) {
      DeadLetterRows.markHandled(connection, letter.id(), DeadLetterRows.APPLIED, who);
      return outcome(
          letter, true, DeadLetterRows.APPLIED, "this node holds the delta already; not run again");
    }
    Savepoint before = connection.setSavepoint();
    try {
      if (applier.detectsConflictsFrom(sender) && delta.origin().equals(sender)) {
        ConflictEngine.Batch batch = conflicts.begin(connection);
        batch.prepare(List.of(delta));
        boolean admitted = batch.admit(delta);
        if (admitted) {
          execute(connection, delta);
          DeltaRows.insert(connection, List.of(delta), sender);
        }
        batch.finish();
      } else {
        execute(connection, delta);
        DeltaRows.insert(connection, List.of(delta), sender);
      }
    } catch (SQLException | RuntimeException e) {
      connection.rollback(before);
      DeadLetterRows.attemptFailed(connection, letter.id(), String.valueOf(e));
      return outcome(letter, false, DeadLetterRows.QUARANTINED, "valid now, but failed: " + e);
    }
    applier.clock().observe(delta.capturedAt());
    DeadLetterRows.markHandled(connection, letter.id(), DeadLetterRows.APPLIED, who);
    return outcome(
        letter,
        true,
        DeadLetterRows.APPLIED,
        "applied delta "
            + delta.id()
            + " once; it ran after the deltas "
            + sender
            + " sent after it, which were applied while it was quarantined");
  }

  /**
   * Runs a FAILED record's delta alone in a transaction that is rolled back, records the result,
   * and leaves applying it to its stream.
   */
  public DeadLetterOutcome tryFailed(DataSource dataSource, DeadLetter letter) {
    Delta delta = decoded(letter);
    String sender = letter.receivedFrom();
    String error = null;
    try (Connection connection = dataSource.getConnection()) {
      PointerRows.ensure(connection, applier.nodeId(), sender);
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        lockStream(connection, sender); // not while a batch from the sender runs
        Optional<String> problem = applier.problemWith(connection, delta, sender);
        if (problem.isPresent()) {
          error = "refused now: " + problem.get();
        } else {
          execute(connection, applier.derived(connection, delta));
        }
      } catch (SQLException | RuntimeException e) {
        error = String.valueOf(e);
      } finally {
        connection.rollback(); // a dry run: the stream applies it, in order, with its batch
        connection.setAutoCommit(autoCommit);
      }
      if (error != null) {
        DeadLetterRows.attemptFailed(connection, letter.id(), error);
        if (!connection.getAutoCommit()) {
          connection.commit();
        }
      }
    } catch (SQLException e) {
      throw new DeadLetterException(
          "could not retry dead letter " + letter.id() + ": " + e.getMessage(), e);
    }
    String stream =
        "; it is never run outside its stream: "
            + sender
            + " delivers its batch again by itself, and it applies then, in order and once (or"
            + " skip it to let the stream go on without it)";
    return outcome(
        letter,
        false,
        DeadLetterRows.FAILED,
        (error == null
                ? "delta " + delta.id() + " runs now when tried alone (nothing was kept)"
                : "delta " + delta.id() + " still fails when tried alone: " + error)
            + stream);
  }

  private void execute(Connection connection, Delta delta) throws SQLException {
    if (RowImages.isUpsert(delta)) {
      conflicts.upsert(connection, Dialect.of(connection), delta);
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(delta.sql())) {
      statement.setQueryTimeout((int) Math.max(1, applier.statementTimeout().toSeconds()));
      ParamBinder.bind(statement, delta.params());
      statement.executeUpdate();
    }
  }

  private static Delta decoded(DeadLetter letter) {
    if (letter.delta() == null) {
      throw new DeadLetterException(
          "cannot retry dead letter "
              + letter.id()
              + " (delta "
              + letter.deltaId()
              + "): its stored payload cannot be decoded; skip it");
    }
    return letter.delta();
  }

  private static DeadLetterOutcome outcome(
      DeadLetter letter, boolean done, String status, String message) {
    return new DeadLetterOutcome(letter.id(), letter.deltaId(), done, status, message);
  }
}
