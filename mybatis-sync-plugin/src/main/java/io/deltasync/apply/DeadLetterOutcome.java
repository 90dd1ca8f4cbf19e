package io.deltasync.apply;

import java.util.Objects;

/**
 * What an operator's retry or skip of one dead letter did.
 *
 * @param id the dead letter's number
 * @param deltaId the delta's id; null when there is no dead letter with that number
 * @param done whether the action took effect: the delta was applied (retry) or skipped (skip)
 * @param status the record's status afterwards; {@code UNKNOWN} when there is no such record
 * @param message what happened and what comes next, in words for the operator
 */
public record DeadLetterOutcome(
    long id, String deltaId, boolean done, String status, String message) {

  public DeadLetterOutcome {
    Objects.requireNonNull(status, "status");
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("message must say what happened, but was blank");
    }
  }
}
