package io.deltasync.console.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code ds_audit}: an admin action and how it ended.
 *
 * @param id the row's number; 0 before it is stored
 * @param at when the action was performed
 * @param username who performed it
 * @param action what was done, e.g. {@code PURGE}
 * @param nodeId the node whose data it changed
 * @param peerId the peer it concerned; null when none
 * @param target what it applied to, in words (a seq range, conflict or dead-letter ids); may be
 *     null
 * @param rows how many rows (deltas, conflicts, dead letters) it affected
 * @param forced whether the admin overrode a refusal (a forced purge)
 * @param outcome DONE, REFUSED, TRIED or FAILED
 * @param message what happened, in words; may be null
 */
public record AuditEntry(
    long id,
    Instant at,
    String username,
    String action,
    String nodeId,
    String peerId,
    String target,
    long rows,
    boolean forced,
    Outcome outcome,
    String message) {

  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** How an action ended. */
  public enum Outcome {
    /** Performed. */
    DONE,
    /** Not performed: the engine refused it (e.g. a purge a peer still needed). */
    REFUSED,
    /**
     * Only tried, nothing kept: the retry of a FAILED dead letter, which applies with its batch
     * when its sender delivers it again.
     */
    TRIED,
    /** Attempted but failed; the message says why. */
    FAILED
  }
}
