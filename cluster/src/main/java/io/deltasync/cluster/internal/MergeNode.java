package io.deltasync.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import io.deltasync.cluster.NodeInfo;
import java.util.Map;

/**
 * Merges a report about a node into its registry entry ({@link NodeInfo#merge}), so that reports
 * from several members, in any order, end in the same entry.
 *
 * @param report what was just heard about the node
 */
public record MergeNode(NodeInfo report) implements EntryProcessor<String, NodeInfo, NodeInfo> {

  @Override
  public NodeInfo process(Map.Entry<String, NodeInfo> entry) {
    NodeInfo old = entry.getValue();
    NodeInfo next = old == null ? report : old.merge(report);
    if (!next.equals(old)) {
      entry.setValue(next);
    }
    return next;
  }
}
