package io.deltasync.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import io.deltasync.store.NodePointers;
import java.util.Map;

/**
 * Moves a pointer entry forward: each pointer becomes the larger of its value and the given one, so
 * that updates arriving in any order never move a pointer back. Runs on the entry's owner.
 *
 * @param nodeId the node holding the pointers
 * @param peerId the peer they are about
 * @param lastPushed at least this {@code lastPushed} (0 leaves it)
 * @param lastProcessed at least this {@code lastProcessed} (0 leaves it)
 */
public record AdvancePointers(String nodeId, String peerId, long lastPushed, long lastProcessed)
    implements EntryProcessor<String, NodePointers, NodePointers> {

  @Override
  public NodePointers process(Map.Entry<String, NodePointers> entry) {
    NodePointers old = entry.getValue();
    NodePointers next =
        old == null
            ? new NodePointers(nodeId, peerId, lastPushed, lastProcessed)
            : new NodePointers(
                nodeId,
                peerId,
                Math.max(old.lastPushed(), lastPushed),
                Math.max(old.lastProcessed(), lastProcessed));
    if (!next.equals(old)) {
      entry.setValue(next);
    }
    return next;
  }
}
