/**
 * Store: deltas in {@code ds_delta} and per-peer pointers in {@code ds_node_pointer}, over JDBC.
 *
 * <p>{@link io.deltasync.store.DeltaStore} is the node's view of both.
 */
package io.deltasync.store;
