package io.deltasync.store;

import io.deltasync.delta.Delta;
import java.util.List;

/**
 * One page of deltas for a peer.
 *
 * @param deltas the deltas, in seq order
 * @param scannedTo the highest seq this page accounts for: every seq up to it is either in the page
 *     or needs nothing sent to the peer; the next page starts after it
 */
public record Page(List<Delta> deltas, long scannedTo) {

  public Page {
    deltas = List.copyOf(deltas);
  }

  /** Whether the page holds no delta. */
  public boolean isEmpty() {
    return deltas.isEmpty();
  }
}
