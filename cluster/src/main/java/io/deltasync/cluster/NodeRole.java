package io.deltasync.cluster;

/** What a node does in the sync topology (see DESIGN.md §2). */
public enum NodeRole {
  /** Accepts pushes from many nodes and serves their deltas back to the others. */
  HUB,
  /** Pushes its own deltas to a hub and pulls everyone else's from it. */
  CLIENT
}
