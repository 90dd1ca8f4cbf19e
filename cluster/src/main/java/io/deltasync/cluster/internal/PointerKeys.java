package io.deltasync.cluster.internal;

/** Keys of the pointer map: {@code nodeId/peerId} (node ids never contain '/'). */
public final class PointerKeys {

  private PointerKeys() {}

  /** The key of a node's pointers for a peer. */
  public static String of(String nodeId, String peerId) {
    return nodeId + "/" + peerId;
  }

  /** The node id of a key. */
  public static String nodeOf(String key) {
    int slash = key.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("not a pointer key (nodeId/peerId): " + key);
    }
    return key.substring(0, slash);
  }

  /** The peer id of a key. */
  public static String peerOf(String key) {
    nodeOf(key);
    return key.substring(key.indexOf('/') + 1);
  }
}
