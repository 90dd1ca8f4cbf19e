package io.deltasync.console.deadletter;

import io.deltasync.delta.Delta;
import java.time.Instant;

/**
 * One row of {@code ds_dead_letter}: a delta this node refused or failed to apply.
 *
 * @param id the row's number
 * @param deltaId the delta's id
 * @param origin where the delta was captured
 * @param receivedFrom the peer that sent it
 * @param sourceSeq the sender's seq of it
 * @param status QUARANTINED (invalid, never executed) or FAILED (execution error)
 * @param reason why, in words
 * @param attempts how often it was tried
 * @param createdAt when it was first put here
 * @param updatedAt when it last changed
 * @param delta the delta decoded; null when its payload cannot be read
 */
public record DeadLetterRow(
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
    Delta delta) {}
