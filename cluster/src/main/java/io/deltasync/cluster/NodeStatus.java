package io.deltasync.cluster;

/** How recently a node was heard from, against the thresholds of {@link ClusterSettings}. */
public enum NodeStatus {
  /** Heard from within {@code staleAfter}. */
  ONLINE,
  /** Silent for longer than {@code staleAfter}, but not yet {@code offlineAfter}. */
  STALE,
  /** Silent for longer than {@code offlineAfter}. */
  OFFLINE
}
