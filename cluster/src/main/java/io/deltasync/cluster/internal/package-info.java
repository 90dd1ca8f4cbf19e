/**
 * How the cluster is kept: map keys, entry processors, the pointer {@code MapStore}, Hazelcast
 * serializers and the JDBC of {@code ds_node} and lag. Not for use outside this module.
 */
package io.deltasync.cluster.internal;
