package io.deltasync.capture;

import io.deltasync.delta.Delta;

/**
 * A custom predicate that keeps mutations out of capture, applied after the built-in criteria.
 *
 * <p>Implementations must be thread-safe and fast: they run inside the application's transaction
 * for every captured statement. Register them with the {@code filters} property (class names, each
 * with a public no-argument constructor) or, in Spring Boot, as beans.
 */
@FunctionalInterface
public interface DeltaFilter {

  /**
   * Whether to record this delta.
   *
   * @param candidate the delta about to be recorded: statement id, kind, table, row key, SQL and
   *     parameters are set; {@code seq} and {@code basis} are not yet
   * @return {@code false} to leave the mutation out of sync
   */
  boolean include(Delta candidate);
}
