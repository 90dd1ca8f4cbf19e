package io.deltasync.verify;

import io.deltasync.node.SyncNode;
import io.deltasync.node.SyncPeer;
import io.deltasync.store.DeltaStore;
import java.time.Duration;

/**
 * Brings a node up to a hub seq before it compares with the hub: afterwards the node has applied
 * every delta the hub held up to that seq. Implementations block until done.
 */
@FunctionalInterface
public interface CatchUp {

  /**
   * Returns once the node's {@code lastProcessed} for the hub is at least {@code hubSeq}.
   *
   * @throws VerifyException when it cannot
   */
  void to(long hubSeq);

  /**
   * In-process: pushes the node's own deltas to the hub, then pulls until caught up, waiting up to
   * the timeout for deltas the hub is still storing.
   */
  static CatchUp syncing(SyncNode node, SyncPeer hub, Duration timeout) {
    return hubSeq -> {
      node.push(hub);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (node.store().pointers(hub.nodeId()).lastProcessed() < hubSeq) {
        if (node.pull(hub) == 0) {
          pause(node.store(), hub.nodeId(), hubSeq, deadline);
        }
      }
    };
  }

  /**
   * With the node's pull route running: waits until the route has applied up to the seq, up to the
   * timeout.
   */
  static CatchUp awaiting(DeltaStore store, String hubId, Duration timeout) {
    return hubSeq -> {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (store.pointers(hubId).lastProcessed() < hubSeq) {
        pause(store, hubId, hubSeq, deadline);
      }
    };
  }

  private static void pause(DeltaStore store, String hubId, long hubSeq, long deadline) {
    if (System.nanoTime() > deadline) {
      throw new VerifyException(
          store.nodeId()
              + " has not applied "
              + hubId
              + "'s deltas up to seq "
              + hubSeq
              + " (it is at "
              + store.pointers(hubId).lastProcessed()
              + "): is it pulling?"
              + " Verify again when it has caught up");
    }
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VerifyException("interrupted while catching up with " + hubId, e);
    }
  }
}
