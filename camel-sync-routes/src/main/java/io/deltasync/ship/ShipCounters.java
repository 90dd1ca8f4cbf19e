package io.deltasync.ship;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What this node's shipping has done since it started: sent, received, refused. Thread-safe. */
public final class ShipCounters {

  private final LongAdder batchesSent = new LongAdder();
  private final LongAdder deltasSent = new LongAdder();
  private final LongAdder batchesReceived = new LongAdder();
  private final LongAdder deltasApplied = new LongAdder();
  private final LongAdder rewindsSent = new LongAdder();
  private final LongAdder rewindsApplied = new LongAdder();
  private final LongAdder rewindsIgnored = new LongAdder();
  private final Map<ShipException.Reason, LongAdder> refused =
      new EnumMap<>(ShipException.Reason.class);

  public ShipCounters() {
    for (ShipException.Reason reason : ShipException.Reason.values()) {
      refused.put(reason, new LongAdder());
    }
  }

  void sent(int deltas) {
    batchesSent.increment();
    deltasSent.add(deltas);
  }

  void received(int applied) {
    batchesReceived.increment();
    deltasApplied.add(applied);
  }

  void rewindSent() {
    rewindsSent.increment();
  }

  void rewindApplied() {
    rewindsApplied.increment();
  }

  void rewindIgnored() {
    rewindsIgnored.increment();
  }

  void countRefused(ShipException.Reason reason) {
    refused.get(reason).increment();
  }

  /** Batches a peer acknowledged, or that this node served to a peer that pulls. */
  public long batchesSent() {
    return batchesSent.sum();
  }

  /** Deltas in the batches a peer acknowledged, or that this node served to a peer that pulls. */
  public long deltasSent() {
    return deltasSent.sum();
  }

  /** Batches received and applied. */
  public long batchesReceived() {
    return batchesReceived.sum();
  }

  /** Deltas applied from received batches. */
  public long deltasApplied() {
    return deltasApplied.sum();
  }

  /** Rewinds this node wrote for the out-of-order batches it dropped, one per batch. */
  public long rewindsSent() {
    return rewindsSent.sum();
  }

  /** Rewinds from a peer that moved its {@code lastPushed} back. */
  public long rewindsApplied() {
    return rewindsApplied.sum();
  }

  /** Authentic rewinds from a peer that would not have moved its pointer back, and were ignored. */
  public long rewindsIgnored() {
    return rewindsIgnored.sum();
  }

  /** Messages refused for the reason. */
  public long refused(ShipException.Reason reason) {
    return refused.get(reason).sum();
  }

  /** Messages refused for any reason. */
  public long refusedTotal() {
    return refused.values().stream().mapToLong(LongAdder::sum).sum();
  }
}
