package io.deltasync.conflict;

/**
 * Decides a conflict: the SPI behind every policy, built-in or custom.
 *
 * <pre>{@code
 * public final class MergeFields implements ConflictResolver {
 *   public Resolution resolve(Conflict conflict) {
 *     if (conflict.hubRow() == null || conflict.incomingRow() == null) {
 *       return Resolution.keepHub();
 *     }
 *     return Resolution.row(conflict.hubRow().with("title", conflict.incomingRow().get("title")));
 *   }
 * }
 * }</pre>
 *
 * <p>Called at the hub inside the transaction that applies the incoming batch (or that resolves a
 * parked conflict), so it must be quick and must not touch the database. Called from many threads
 * at once; implementations must be thread-safe. Configured per table by class name (a public
 * no-argument constructor) or, under Spring Boot, by bean name.
 */
@FunctionalInterface
public interface ConflictResolver {

  /** What to do about the conflict; never null. */
  Resolution resolve(Conflict conflict);
}
