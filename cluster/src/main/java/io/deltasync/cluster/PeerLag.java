package io.deltasync.cluster;

import io.deltasync.delta.Delta;

/**
 * How far a peer is behind this node: the deltas it should get that it has not acknowledged.
 *
 * @param nodeId the node whose deltas are counted
 * @param peerId the peer that has not acknowledged them
 * @param deltasBehind how many deltas after the peer's {@code lastPushed} are meant for it
 * @param secondsBehind how long the oldest of them has been waiting; 0 when none is
 */
public record PeerLag(String nodeId, String peerId, long deltasBehind, long secondsBehind) {

  public PeerLag {
    Delta.requireNodeId(nodeId, "nodeId");
    Delta.requireNodeId(peerId, "peerId");
    if (deltasBehind < 0 || secondsBehind < 0) {
      throw new IllegalArgumentException(
          "lag must be >= 0, but was deltasBehind="
              + deltasBehind
              + " secondsBehind="
              + secondsBehind);
    }
  }
}
