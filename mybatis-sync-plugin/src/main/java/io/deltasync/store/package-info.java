/**
 * Store: deltas in {@code ds_delta} and per-peer pointers in {@code ds_node_pointer}, over JDBC.
 *
 * <p>{@link io.deltasync.store.DeltaStore} is the node's view of both. {@link
 * io.deltasync.store.DeltaMaintenance} is the operator's upkeep: purges previewed with the peers
 * that still need what would go, and re-sends to a peer from a seq. {@link
 * io.deltasync.store.DeltaSignal} tells shipping in the same JVM that a node committed new deltas.
 */
package io.deltasync.store;
