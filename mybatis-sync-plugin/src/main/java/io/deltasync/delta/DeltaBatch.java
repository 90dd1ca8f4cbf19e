package io.deltasync.delta;

import java.util.List;
import java.util.Objects;

/**
 * Deltas one node sends another in one go, in the sender's seq order.
 *
 * @param sender node id of the sending node
 * @param batchId unique id of this batch, for logs and acknowledgements
 * @param afterSeq the sender's seq this batch continues from: it accounts for the seqs above it, so
 *     a receiver that has not processed up to it has missed a batch and must refuse this one; 0 for
 *     a batch that continues from the start
 * @param upToSeq the sender's seq this batch accounts for: every seq of the sender up to it is in
 *     the batch or not meant for the receiver, so the receiver's pointer may move to it; at least
 *     the last delta's seq
 * @param deltas the deltas, each carrying the sender's seq, strictly increasing
 * @param incarnation the sender's incarnation its seqs count in, or null when the sender does not
 *     say (a sender before format version 2); see {@link Incarnation}
 */
public record DeltaBatch(
    String sender,
    String batchId,
    long afterSeq,
    long upToSeq,
    List<Delta> deltas,
    Incarnation incarnation) {

  public DeltaBatch {
    Delta.requireNodeId(sender, "sender");
    Delta.requireToken(batchId, "batchId");
    deltas = List.copyOf(Objects.requireNonNull(deltas, "deltas"));
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be >= 0, but was " + afterSeq);
    }
    long previous = afterSeq;
    for (Delta delta : deltas) {
      if (delta.seq() <= previous) {
        throw new IllegalArgumentException(
            "deltas must be in strictly increasing seq order, but seq "
                + delta.seq()
                + " came after "
                + previous
                + " in batch "
                + batchId);
      }
      previous = delta.seq();
    }
    if (upToSeq < previous) {
      throw new IllegalArgumentException(
          "upToSeq must be >= afterSeq and the last delta's seq "
              + previous
              + ", but was "
              + upToSeq);
    }
  }

  /** A batch that does not name the sender's incarnation. */
  public DeltaBatch(
      String sender, String batchId, long afterSeq, long upToSeq, List<Delta> deltas) {
    this(sender, batchId, afterSeq, upToSeq, deltas, null);
  }

  /** This batch, naming the sender's incarnation. */
  public DeltaBatch in(Incarnation incarnation) {
    return new DeltaBatch(sender, batchId, afterSeq, upToSeq, deltas, incarnation);
  }

  /** A batch continuing from the start (afterSeq 0) up to {@code upToSeq}. */
  public DeltaBatch(String sender, String batchId, long upToSeq, List<Delta> deltas) {
    this(sender, batchId, 0, upToSeq, deltas);
  }

  /** A batch continuing from the start that accounts for exactly the seqs of its deltas. */
  public DeltaBatch(String sender, String batchId, List<Delta> deltas) {
    this(sender, batchId, 0, lastSeqOf(deltas), deltas);
  }

  /** The sender's seq of the last delta, or {@code 0} when the batch is empty. */
  public long lastSeq() {
    return lastSeqOf(deltas);
  }

  private static long lastSeqOf(List<Delta> deltas) {
    return deltas == null || deltas.isEmpty() ? 0 : deltas.get(deltas.size() - 1).seq();
  }
}
