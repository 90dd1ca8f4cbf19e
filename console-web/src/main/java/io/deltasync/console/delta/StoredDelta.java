package io.deltasync.console.delta;

import io.deltasync.delta.Delta;
import io.deltasync.delta.HybridClock;
import java.time.Instant;
import java.util.List;

/**
 * A delta as this node stores it, with where it came from and who still needs it.
 *
 * @param delta the decoded delta; its seq is this node's
 * @param receivedFrom the peer that delivered it; null when captured here
 * @param sourceSeq the delivering peer's seq of it; null when captured here
 * @param storedAt when this node stored it
 * @param pendingFor the peers that have not acknowledged it yet, by id
 */
public record StoredDelta(
    Delta delta, String receivedFrom, Long sourceSeq, Instant storedAt, List<String> pendingFor) {

  public StoredDelta {
    pendingFor = List.copyOf(pendingFor);
  }

  /** The wall-clock part of the delta's hybrid capture time. */
  public Instant capturedAt() {
    return HybridClock.instantOf(delta.capturedAt());
  }
}
