/**
 * Tracks nodes in a Hazelcast cluster: pointers shared in a map and persisted to each node's
 * database ({@link io.deltasync.cluster.ClusteredDeltaStore}), leadership among the members of one
 * node ({@link io.deltasync.cluster.HazelcastLeadership}), the node registry with liveness ({@link
 * io.deltasync.cluster.NodeRegistry}), and the read-only {@link io.deltasync.cluster.ClusterView}
 * for the console. {@link io.deltasync.cluster.DeltaSyncCluster} puts them together.
 */
package io.deltasync.cluster;
