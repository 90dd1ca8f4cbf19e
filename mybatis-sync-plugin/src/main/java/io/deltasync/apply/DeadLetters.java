package io.deltasync.apply;

import static io.deltasync.apply.internal.DeadLetterRows.APPLIED;
import static io.deltasync.apply.internal.DeadLetterRows.FAILED;
import static io.deltasync.apply.internal.DeadLetterRows.QUARANTINED;
import static io.deltasync.apply.internal.DeadLetterRows.SKIPPED;

import io.deltasync.apply.internal.DeadLetterRetry;
import io.deltasync.apply.internal.DeadLetterRows;
import io.deltasync.store.internal.PointerRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The deltas this node refused or failed to apply ({@code ds_dead_letter}): list them, and retry or
 * skip them. What the console calls.
 *
 * <p><b>Retry.</b> A {@code QUARANTINED} delta was never executed and its sender's stream went on
 * without it. Retrying validates it again with the applier's current {@link DeltaValidator} (a
 * table may have joined the replicated set): if it passes, it is executed, stored in {@code
 * ds_delta} (so this node passes it on and recognises it again) and marked {@code APPLIED}, all in
 * one transaction; it then runs after deltas its sender sent later. If it is still refused it stays
 * {@code QUARANTINED} with the new reason. A {@code FAILED} delta is different: its batch was
 * rolled back, so the sender's {@code lastPushed} and this node's {@code lastProcessed} are before
 * it, and other deltas of that batch, which this node never stored, may come before it. Executing
 * it alone could run it ahead of them or split its source transaction, so retry <b>never executes a
 * FAILED delta out of its stream</b>: it runs the delta once alone in a transaction that is rolled
 * back, to tell the operator whether its cause is gone, and records the result (reason, attempts).
 * The sender re-sends the batch by itself (its outbox retries with backoff); the delta then applies
 * with its batch, in order and once, and its record goes away. So a FAILED retry never reports
 * {@code done}. To let the stream go on without it, skip it.
 *
 * <p><b>Skip.</b> Marks a {@code QUARANTINED} or {@code FAILED} delta {@code SKIPPED}, with who and
 * when; the record stays. A skipped delta is never executed: when its sender delivers it again the
 * applier recognises its id and skips it, and the deltas after it apply.
 *
 * <p>Each action runs in its own transaction and locks the sender's pointer row first, so it never
 * interleaves with a batch being applied from that sender. A refused action ({@link
 * DeadLetterException}) changes nothing. The many-at-once forms handle each id on its own and
 * report every outcome, refusals included. Thread-safe.
 */
public final class DeadLetters {

  /** The most records {@link #list} returns at once; a larger limit is cut to it. */
  public static final int MAX_LIST = 1_000;

  private static final String UNKNOWN = "UNKNOWN";

  private final DataSource dataSource;
  private final DeltaApplier applier;
  private final DeadLetterRetry retries;

  /**
   * @param dataSource this node's database, holding {@code ds_dead_letter}
   * @param applier this node's applier: its validator and conflict policies decide a retry
   */
  public DeadLetters(DataSource dataSource, DeltaApplier applier) {
    this.dataSource = dataSource;
    this.applier = applier;
    this.retries = new DeadLetterRetry(applier);
  }

  /**
   * Dead letters, newest first, a page at a time.
   *
   * @param status only this status ({@code QUARANTINED}, {@code FAILED}, {@code SKIPPED}, {@code
   *     APPLIED}); null for all
   * @param receivedFrom only those this peer sent; null for all
   * @param beforeId only records numbered below this: {@link Long#MAX_VALUE} for the first page,
   *     then the last id of the page before
   * @param limit at most this many, at least 1; more than {@link #MAX_LIST} is cut to it
   */
  public List<DeadLetter> list(String status, String receivedFrom, long beforeId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, but was " + limit);
    }
    try (Connection connection = dataSource.getConnection()) {
      return DeadLetterRows.list(
          connection, status, receivedFrom, beforeId, Math.min(limit, MAX_LIST));
    } catch (SQLException e) {
      throw new DeadLetterException("could not list dead letters: " + e.getMessage(), e);
    }
  }

  /** One dead letter, or empty when there is none with that number. */
  public Optional<DeadLetter> find(long id) {
    try (Connection connection = dataSource.getConnection()) {
      return DeadLetterRows.find(connection, id, false);
    } catch (SQLException e) {
      throw new DeadLetterException("could not read dead letter " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * How many dead letters wait for an operator: QUARANTINED or FAILED, not yet skipped or applied.
   */
  public long count() {
    try (Connection connection = dataSource.getConnection()) {
      return DeadLetterRows.countWaiting(connection);
    } catch (SQLException e) {
      throw new DeadLetterException("could not count dead letters: " + e.getMessage(), e);
    }
  }

  /**
   * Retries a dead letter, as the class describes: a QUARANTINED one is validated again and applied
   * once if it passes; a FAILED one is tried alone without keeping anything, and applies with its
   * batch when its sender delivers it again.
   *
   * @param who the operator, recorded with the record
   * @throws DeadLetterException when there is no such record, or it was skipped or applied already
   */
  public DeadLetterOutcome retry(long id, String who) {
    String operator = requireWho(who);
    DeadLetter letter = find(id).orElseThrow(() -> new DeadLetterException(noSuch(id)));
    if (letter.status().equals(FAILED)) {
      return retries.tryFailed(dataSource, letter);
    }
    return inTransaction(
        letter,
        (connection, locked) -> {
          requireState(connection, locked, "retry", QUARANTINED);
          return retries.retryQuarantined(connection, locked, operator);
        });
  }

  /**
   * Skips a dead letter: it is never executed, later deltas of its sender apply, and a re-delivered
   * copy is skipped. The record stays as {@code SKIPPED} with who and when.
   *
   * @param who the operator, recorded with the record
   * @throws DeadLetterException when there is no such record, or it was skipped or applied already
   */
  public DeadLetterOutcome skip(long id, String who) {
    String operator = requireWho(who);
    DeadLetter letter = find(id).orElseThrow(() -> new DeadLetterException(noSuch(id)));
    return inTransaction(
        letter,
        (connection, locked) -> {
          requireState(connection, locked, "skip", QUARANTINED, FAILED);
          DeadLetterRows.markHandled(connection, id, SKIPPED, operator);
          return new DeadLetterOutcome(
              id,
              locked.deltaId(),
              true,
              SKIPPED,
              "skipped delta "
                  + locked.deltaId()
                  + " (seq "
                  + locked.sourceSeq()
                  + " from "
                  + locked.receivedFrom()
                  + "): it is never executed"
                  + (locked.status().equals(FAILED)
                      ? "; the stream from "
                          + locked.receivedFrom()
                          + " goes on when it delivers the batch again, without it"
                      : ""));
        });
  }

  /** Retries each dead letter on its own; a refusal is reported as an outcome, not thrown. */
  public List<DeadLetterOutcome> retry(List<Long> ids, String who) {
    requireWho(who);
    List<DeadLetterOutcome> outcomes = new ArrayList<>();
    for (long id : ids) {
      outcomes.add(refusalAsOutcome(id, () -> retry(id, who)));
    }
    return outcomes;
  }

  /** Skips each dead letter on its own; a refusal is reported as an outcome, not thrown. */
  public List<DeadLetterOutcome> skip(List<Long> ids, String who) {
    requireWho(who);
    List<DeadLetterOutcome> outcomes = new ArrayList<>();
    for (long id : ids) {
      outcomes.add(refusalAsOutcome(id, () -> skip(id, who)));
    }
    return outcomes;
  }

  private DeadLetterOutcome refusalAsOutcome(
      long id, java.util.function.Supplier<DeadLetterOutcome> action) {
    try {
      return action.get();
    } catch (DeadLetterException e) {
      Optional<DeadLetter> letter = find(id);
      return new DeadLetterOutcome(
          id,
          letter.map(DeadLetter::deltaId).orElse(null),
          false,
          letter.map(DeadLetter::status).orElse(UNKNOWN),
          e.getMessage());
    }
  }

  /** An action on a locked record, in the caller's transaction. */
  private interface Action {
    DeadLetterOutcome run(Connection connection, DeadLetter locked) throws SQLException;
  }

  private DeadLetterOutcome inTransaction(DeadLetter letter, Action action) {
    try (Connection connection = dataSource.getConnection()) {
      PointerRows.ensure(connection, applier.nodeId(), letter.receivedFrom());
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        retries.lockStream(connection, letter.receivedFrom());
        DeadLetter locked =
            DeadLetterRows.find(connection, letter.id(), true)
                .orElseThrow(() -> new DeadLetterException(noSuch(letter.id())));
        DeadLetterOutcome outcome = action.run(connection, locked);
        connection.commit();
        return outcome;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new DeadLetterException(
          "could not act on dead letter " + letter.id() + ": " + e.getMessage(), e);
    }
  }

  private static void requireState(
      Connection connection, DeadLetter letter, String action, String... allowed)
      throws SQLException {
    for (String status : allowed) {
      if (letter.status().equals(status)) {
        return;
      }
    }
    String by =
        DeadLetterRows.handled(connection, letter.id())
            .map(h -> " by " + h[0] + " at " + h[1])
            .orElse("");
    throw new DeadLetterException(
        "cannot "
            + action
            + " dead letter "
            + letter.id()
            + " (delta "
            + letter.deltaId()
            + "): it is "
            + letter.status()
            + by
            + (letter.status().equals(APPLIED) ? ", applied already" : "")
            + (letter.status().equals(SKIPPED) ? ", a skipped delta is never executed" : ""));
  }

  private static String noSuch(long id) {
    return "there is no dead letter " + id;
  }

  private static String requireWho(String who) {
    if (who == null || who.isBlank()) {
      throw new IllegalArgumentException("who must name the operator, but was blank");
    }
    return who.trim();
  }
}
