/**
 * Spring Boot wiring for the cluster: the Hazelcast member or client, the clustered store,
 * leadership, node registry and cluster view, from {@code deltasync.cluster.*}.
 */
package io.deltasync.cluster.autoconfigure;
