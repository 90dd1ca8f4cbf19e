package io.deltasync.node;

import io.deltasync.apply.ApplyResult;
import io.deltasync.delta.DeltaBatch;

/**
 * The side of a node that other nodes talk to: it serves pulls and takes pushes.
 *
 * <p>A {@link SyncNode} is one in the same process; a transport makes one of a remote node.
 */
public interface SyncPeer {

  /** The peer's node id. */
  String nodeId();

  /**
   * Serves a pull: the peer's deltas for the requester after {@code afterSeq} (the peer's seq), at
   * most {@code limit}. Asking after a seq acknowledges everything up to it.
   */
  DeltaBatch fetch(String requester, long afterSeq, int limit);

  /**
   * Serves a pull from a requester that knows the peer's incarnation {@code knownIncarnation} (null
   * when it knows none): when it is not the peer's current one and {@code afterSeq} lies above the
   * current one's base, the answer starts at that base instead, so that the requester re-bases its
   * pointer in one round trip (see {@link io.deltasync.delta.Incarnation}).
   */
  default DeltaBatch fetch(String requester, long afterSeq, int limit, String knownIncarnation) {
    return fetch(requester, afterSeq, limit);
  }

  /** Takes a push: applies the sender's batch and acknowledges it. */
  ApplyResult receive(DeltaBatch batch);
}
