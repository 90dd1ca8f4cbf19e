/**
 * Apply: executes other nodes' deltas in their order, exactly once, and only when they are single
 * DML statements on replicated tables; anything else is quarantined in {@code ds_dead_letter}.
 */
package io.deltasync.apply;
