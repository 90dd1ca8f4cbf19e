/**
 * A node: its store and applier behind the seeds' push, pull and fetch, so nodes can sync
 * in-process; transports implement {@link io.deltasync.node.SyncPeer} for remote peers.
 */
package io.deltasync.node;
