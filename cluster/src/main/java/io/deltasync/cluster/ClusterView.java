package io.deltasync.cluster;

import io.deltasync.store.NodePointers;
import java.util.List;

/**
 * What an operator sees of the cluster: nodes, pointers and lag. The console reads the cluster
 * through this interface only.
 *
 * <p>Each call reads the current state; results are snapshots, ordered by node id then peer id.
 * Implementations are thread-safe.
 */
public interface ClusterView {

  /** Every node the registry knows, members and remote nodes, with its status now. */
  List<NodeState> nodes();

  /** Every pointer of every node in the cluster. */
  List<NodePointers> pointers();

  /** How far each of this node's peers is behind it. */
  List<PeerLag> lag();
}
