/**
 * The operator's web console of a DeltaSync hub: it reads the engine through its public read APIs
 * ({@code ClusterView}, {@code DeltaStore}, {@code Conflicts}) and the {@code ds_} tables'
 * documented columns, never through {@code internal} packages, and it changes nothing except
 * through admin actions that are confirmed, performed by the engine's own APIs, and written to
 * {@code ds_audit}. One feature package per page: {@code node}, {@code delta}, {@code conflict},
 * {@code deadletter}, {@code audit}; {@code system} holds security, configuration, health and
 * metrics.
 */
package io.deltasync.console;
