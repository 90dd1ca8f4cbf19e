package io.deltasync.apply;

/**
 * What applying one batch did; also the acknowledgement a receiver returns to the sender.
 *
 * @param receiver the node that applied the batch
 * @param sender the node that sent it
 * @param batchId the batch's id
 * @param applied deltas executed and stored
 * @param skipped deltas already applied (by id or pointer), or originated by the receiver
 * @param quarantined deltas refused by validation and recorded in {@code ds_dead_letter}
 * @param lastProcessed the receiver's {@code lastProcessed} pointer for the sender afterwards
 * @param conflicts deltas that conflicted at this hub and were resolved or parked instead of
 *     applied as they came (see {@code io.deltasync.conflict})
 * @param rebased the receiver moved its {@code lastProcessed} for the sender back first, because
 *     the sender's seqs went back (see {@link io.deltasync.store.Rebase})
 */
public record ApplyResult(
    String receiver,
    String sender,
    String batchId,
    int applied,
    int skipped,
    int quarantined,
    long lastProcessed,
    int conflicts,
    boolean rebased) {

  /** A result without a re-base. */
  public ApplyResult(
      String receiver,
      String sender,
      String batchId,
      int applied,
      int skipped,
      int quarantined,
      long lastProcessed,
      int conflicts) {
    this(receiver, sender, batchId, applied, skipped, quarantined, lastProcessed, conflicts, false);
  }

  /** A result without conflicts. */
  public ApplyResult(
      String receiver,
      String sender,
      String batchId,
      int applied,
      int skipped,
      int quarantined,
      long lastProcessed) {
    this(receiver, sender, batchId, applied, skipped, quarantined, lastProcessed, 0);
  }
}
