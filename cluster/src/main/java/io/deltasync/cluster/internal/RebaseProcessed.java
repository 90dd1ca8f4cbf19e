package io.deltasync.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import io.deltasync.store.NodePointers;
import java.util.Map;

/**
 * Sets {@code lastProcessed} of a pointer entry back to where the applier re-based it (the peer's
 * seqs went back), keeping {@code lastPushed}.
 *
 * @param nodeId the node holding the pointers
 * @param peerId the peer they are about
 * @param lastPushed {@code lastPushed} as read from the database, for an entry the map lacks
 * @param lastProcessed the re-based {@code lastProcessed}
 */
public record RebaseProcessed(String nodeId, String peerId, long lastPushed, long lastProcessed)
    implements EntryProcessor<String, NodePointers, NodePointers> {

  @Override
  public NodePointers process(Map.Entry<String, NodePointers> entry) {
    NodePointers old = entry.getValue();
    long pushed = old == null ? lastPushed : old.lastPushed();
    NodePointers next = new NodePointers(nodeId, peerId, pushed, lastProcessed);
    entry.setValue(next);
    return next;
  }
}
