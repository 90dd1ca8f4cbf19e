package io.deltasync.store;

/**
 * How far a node and one of its peers have got with each other.
 *
 * @param nodeId the node holding these pointers
 * @param peerId the peer they are about
 * @param lastPushed the highest seq of this node that the peer has acknowledged (or that needs
 *     nothing sent to it)
 * @param lastProcessed the highest seq of the peer that this node has applied
 */
public record NodePointers(String nodeId, String peerId, long lastPushed, long lastProcessed) {

  public NodePointers {
    if (lastPushed < 0 || lastProcessed < 0) {
      throw new IllegalArgumentException(
          "pointers must be >= 0, but were lastPushed="
              + lastPushed
              + " lastProcessed="
              + lastProcessed);
    }
  }
}
