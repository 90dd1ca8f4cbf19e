package io.deltasync.node;

/**
 * Where shipping reports that a peer got in touch: a push received, a pull served, a batch
 * acknowledged. A node registry uses it to know remote nodes that are not members of its cluster.
 * Implementations are thread-safe and quick; shipping calls them on its own threads.
 */
@FunctionalInterface
public interface PeerContacts {

  /** Reports nothing. */
  PeerContacts NONE = (peerId, address) -> {};

  /**
   * A peer was in touch just now.
   *
   * @param peerId the peer's node id, authenticated
   * @param address where it was reached or came from (a URL, a queue, a folder), or null
   */
  void contacted(String peerId, String address);
}
