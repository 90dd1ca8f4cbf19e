/**
 * Spring Boot wiring for the node: its store, applier and {@code SyncNode} over the application's
 * data source, from {@code deltasync.node.*}.
 */
package io.deltasync.node.autoconfigure;
