package io.deltasync.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import io.deltasync.store.NodePointers;
import java.util.Map;

/**
 * Sets {@code lastPushed} of a pointer entry, also backwards, keeping {@code lastProcessed} at the
 * larger of its value and the one read from the database (the applier may have moved it since).
 *
 * @param nodeId the node holding the pointers
 * @param peerId the peer they are about
 * @param lastPushed the new {@code lastPushed}
 * @param lastProcessed at least this {@code lastProcessed}
 */
public record ResetPushed(String nodeId, String peerId, long lastPushed, long lastProcessed)
    implements EntryProcessor<String, NodePointers, NodePointers> {

  @Override
  public NodePointers process(Map.Entry<String, NodePointers> entry) {
    NodePointers old = entry.getValue();
    long processed = old == null ? lastProcessed : Math.max(old.lastProcessed(), lastProcessed);
    NodePointers next = new NodePointers(nodeId, peerId, lastPushed, processed);
    entry.setValue(next);
    return next;
  }
}
