package io.deltasync.cluster;

import io.deltasync.delta.Delta;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * What the registry knows about one node.
 *
 * @param nodeId the node's id
 * @param role hub or client
 * @param address where the node was reached or came from (a member address, a URL), or null
 * @param version the DeltaSync version the node runs, or null when unknown
 * @param seenVia for a node that is not a cluster member, the node it synced through; null for
 *     members
 * @param firstSeen when the node was first heard from
 * @param lastHeartbeat when the node was last heard from
 */
public record NodeInfo(
    String nodeId,
    NodeRole role,
    String address,
    String version,
    String seenVia,
    Instant firstSeen,
    Instant lastHeartbeat)
    implements Serializable {

  public NodeInfo {
    Delta.requireNodeId(nodeId, "nodeId");
    Objects.requireNonNull(role, "role must not be null");
    if (seenVia != null) {
      Delta.requireNodeId(seenVia, "seenVia");
    }
    Objects.requireNonNull(firstSeen, "firstSeen must not be null");
    Objects.requireNonNull(lastHeartbeat, "lastHeartbeat must not be null");
    if (lastHeartbeat.isBefore(firstSeen)) {
      throw new IllegalArgumentException(
          "lastHeartbeat must not be before firstSeen, but was "
              + lastHeartbeat
              + " < "
              + firstSeen);
    }
  }

  /** Whether the node is a member of the cluster rather than a remote node seen through one. */
  public boolean member() {
    return seenVia == null;
  }

  /**
   * This record merged with a later report about the same node: the earliest {@code firstSeen}, the
   * latest {@code lastHeartbeat}, and the other fields of whichever report is newer.
   */
  public NodeInfo merge(NodeInfo other) {
    if (!nodeId.equals(other.nodeId)) {
      throw new IllegalArgumentException(
          "can only merge reports of one node, but were " + nodeId + " and " + other.nodeId);
    }
    NodeInfo newer = other.lastHeartbeat.isBefore(lastHeartbeat) ? this : other;
    Instant first = firstSeen.isBefore(other.firstSeen) ? firstSeen : other.firstSeen;
    return new NodeInfo(
        nodeId,
        newer.role,
        newer.address,
        newer.version,
        newer.seenVia,
        first,
        newer.lastHeartbeat);
  }
}
