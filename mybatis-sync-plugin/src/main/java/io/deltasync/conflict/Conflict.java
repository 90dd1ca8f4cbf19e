package io.deltasync.conflict;

import io.deltasync.conflict.internal.ColumnEffects;
import io.deltasync.delta.Delta;
import io.deltasync.delta.RowKey;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One conflict as a {@link ConflictResolver} sees it: the incoming delta, the hub's deltas on the
 * same row that its origin had not seen, and the row both ways.
 *
 * @param table the table, lower case
 * @param rowKey the row's key; null for a table-level conflict (a statement that does not pin one
 *     row, on either side), where the rows are unknown
 * @param incoming the delta that arrived
 * @param hubDeltas the hub's deltas on the row (or table) from other origins after the incoming
 *     delta's basis, oldest first; empty when the row only has a parked conflict
 * @param hubRow the hub's row now; null when absent or unknown (table level)
 * @param incomingRow the row as the incoming delta would make the hub's row; null when that leaves
 *     no row, or unknown (table level)
 * @param rowParked whether an earlier conflict on the row is still waiting for an admin
 */
public record Conflict(
    String table,
    RowKey rowKey,
    Delta incoming,
    List<Delta> hubDeltas,
    Row hubRow,
    Row incomingRow,
    boolean rowParked) {

  private static final Comparator<Delta> WRITE_ORDER =
      Comparator.comparingLong(Delta::capturedAt)
          .thenComparing(Delta::origin)
          .thenComparing(Delta::id);

  public Conflict {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(incoming, "incoming");
    hubDeltas = List.copyOf(hubDeltas);
  }

  /**
   * The columns the incoming delta sets, lower case; empty when it is not an UPDATE whose columns
   * can be read (an INSERT, a DELETE, a subquery).
   */
  public Set<String> incomingColumns() {
    return ColumnEffects.of(incoming.sql()).map(ColumnEffects::writes).orElse(Set.of());
  }

  /** The columns the hub's deltas set, lower case; as {@link #incomingColumns()}. */
  public Set<String> hubColumns() {
    Set<String> columns = new TreeSet<>();
    for (Delta hub : hubDeltas) {
      ColumnEffects.of(hub.sql()).ifPresent(effects -> columns.addAll(effects.writes()));
    }
    return columns;
  }

  /** Whether the row is known (the statements on both sides pin it). */
  public boolean rowLevel() {
    return rowKey != null;
  }

  /** The hub's last write to the row by captured time (ties: origin, then id); empty when none. */
  public Optional<Delta> latestHubWrite() {
    return hubDeltas.stream().max(WRITE_ORDER);
  }

  /**
   * Whether the incoming delta was written after the hub's last write to the row: by {@code
   * capturedAt}, ties broken by origin id, then delta id, so every hub decides alike.
   */
  public boolean incomingIsLatest() {
    return latestHubWrite().map(hub -> WRITE_ORDER.compare(incoming, hub) > 0).orElse(true);
  }
}
