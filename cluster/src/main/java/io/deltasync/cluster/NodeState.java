package io.deltasync.cluster;

import java.util.Objects;

/**
 * A node of the registry with its status at the time it was read.
 *
 * @param node what the registry knows about the node
 * @param status ONLINE, STALE or OFFLINE, from its last heartbeat
 */
public record NodeState(NodeInfo node, NodeStatus status) {

  public NodeState {
    Objects.requireNonNull(node, "node must not be null");
    Objects.requireNonNull(status, "status must not be null");
  }
}
