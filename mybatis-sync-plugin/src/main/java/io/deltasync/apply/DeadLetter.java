package io.deltasync.apply;

import io.deltasync.delta.Delta;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code ds_dead_letter}: a delta from another node that was refused or failed to apply,
 * and what an operator did with it.
 *
 * @param id the record's number, the key {@link DeadLetters} takes
 * @param deltaId the delta's id
 * @param origin the node that captured the delta
 * @param receivedFrom the peer that delivered it, whose stream it belongs to
 * @param sourceSeq the delta's seq in the sender's stream
 * @param status {@code QUARANTINED} (refused, never executed; the stream went on), {@code FAILED}
 *     (its execution failed; the sender's stream waits for it), {@code SKIPPED} (an operator
 *     skipped it: never executed), or {@code APPLIED} (an operator retried it and it applied)
 * @param reason why it was refused or failed, the latest attempt's
 * @param attempts how many times it was refused or failed
 * @param createdAt when it was first recorded
 * @param updatedAt when it last changed (an attempt, or an operator's action)
 * @param delta the delta decoded from the stored payload; null when it cannot be decoded
 */
public record DeadLetter(
    long id,
    String deltaId,
    String origin,
    String receivedFrom,
    long sourceSeq,
    String status,
    String reason,
    int attempts,
    Instant createdAt,
    Instant updatedAt,
    Delta delta) {

  public DeadLetter {
    Objects.requireNonNull(deltaId, "deltaId");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(receivedFrom, "receivedFrom");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0, but was " + attempts);
    }
  }

  /** Whether it still waits for an operator ({@code QUARANTINED} or {@code FAILED}). */
  public boolean waiting() {
    return status.equals("QUARANTINED") || status.equals("FAILED");
  }
}
