package io.deltasync.store;

import io.deltasync.delta.Incarnation;
import java.util.List;

/**
 * A node's deltas and its pointers to each peer.
 *
 * <p>Seq numbers are this node's own, allocated in commit order, so reading in seq order never
 * passes a seq that a transaction still in flight may fill. Implementations are thread-safe.
 */
public interface DeltaStore {

  /** The node this store belongs to. */
  String nodeId();

  /**
   * The next deltas to send to a peer: seq above {@code afterSeq}, in seq order, neither originated
   * by the peer nor received from it, at most {@code limit}.
   */
  Page pendingFor(String peer, long afterSeq, int limit);

  /** This node's pointers for the peer; zeros when it has none yet. */
  NodePointers pointers(String peer);

  /** This node's pointers for every peer it has any. */
  List<NodePointers> allPointers();

  /** Records that the peer has everything up to {@code seq}; never moves the pointer back. */
  void markPushed(String peer, long seq);

  /**
   * Sets {@code lastPushed} for the peer to {@code seq}, also backwards, so that everything after
   * it is sent again (the peer skips what it already has).
   */
  void resetPushed(String peer, long seq);

  /**
   * Notes that this node has applied the peer's deltas up to {@code seq}. The applier moved {@code
   * lastProcessed} in its own transaction already; stores that share pointers beyond this database
   * (a cluster) publish it here. Never moves a pointer back.
   */
  default void processed(String peer, long seq) {}

  /**
   * The incarnation of this node's database that its seqs count in now (see {@link Incarnation}),
   * beginning one when this process has not yet begun one over the database, or when the database
   * no longer holds the one it began (it was restored). Beginning one moves back {@code lastPushed}
   * of each peer that is above the new incarnation's base: the database lost what it had pushed
   * beyond. Null when the store keeps no incarnations; batches then name none.
   */
  default Incarnation incarnation() {
    return null;
  }

  /**
   * The peer's incarnation that this node's {@code lastProcessed} for it counts in, or null when
   * the peer has named none.
   */
  default String peerIncarnation(String peer) {
    return null;
  }

  /**
   * Notes that the applier moved {@code lastProcessed} for the peer back to {@code seq} (a {@link
   * Rebase}) in its own transaction; stores that share pointers beyond this database (a cluster)
   * publish it here.
   */
  default void rebased(String peer, long seq) {}

  /** The re-bases this node made of its peers' streams, newest first, at most {@code limit}. */
  default List<Rebase> rebases(int limit) {
    return List.of();
  }

  /** The highest seq in the store, 0 when empty. */
  long lastSeq();

  /** How many deltas the store holds. */
  long count();

  /**
   * Deletes deltas that every known peer has acknowledged (seq at or below the smallest {@code
   * lastPushed}), but never the newest delta; nothing when the node has no peers.
   *
   * @return how many deltas were deleted
   */
  int purgeAcknowledged();
}
