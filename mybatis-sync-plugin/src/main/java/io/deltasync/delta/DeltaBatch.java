package io.deltasync.delta;

import java.util.List;
import java.util.Objects;

/**
 * Deltas one node sends another in one go, in the sender's seq order.
 *
 * @param sender node id of the sending node
 * @param batchId unique id of this batch, for logs and acknowledgements
 * @param deltas the deltas, each carrying the sender's seq, strictly increasing
 */
public record DeltaBatch(String sender, String batchId, List<Delta> deltas) {

  public DeltaBatch {
    Delta.requireNodeId(sender, "sender");
    Objects.requireNonNull(batchId, "batchId");
    deltas = List.copyOf(Objects.requireNonNull(deltas, "deltas"));
    long previous = 0;
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
  }

  /** The sender's seq of the last delta, or {@code 0} when the batch is empty. */
  public long lastSeq() {
    return deltas.isEmpty() ? 0 : deltas.get(deltas.size() - 1).seq();
  }
}
