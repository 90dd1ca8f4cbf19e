/**
 * Apply: executes other nodes' deltas in their order, exactly once, and only when they are single
 * DML statements on replicated tables; anything else is quarantined in {@code ds_dead_letter}.
 *
 * <p>{@link io.deltasync.apply.DeadLetters} is the operator's side of {@code ds_dead_letter}: list
 * the refused and failed deltas, retry them (a quarantined one applies once if it is valid now; a
 * failed one applies only in its sender's stream) or skip them (never executed, the stream goes
 * on).
 */
package io.deltasync.apply;
