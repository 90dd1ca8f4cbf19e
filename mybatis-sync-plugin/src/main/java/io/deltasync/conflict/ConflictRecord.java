package io.deltasync.conflict;

import io.deltasync.delta.Delta;
import io.deltasync.delta.RowKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One row of {@code ds_conflict}: a conflict the hub detected, both sides, and its resolution.
 *
 * @param id the conflict's number
 * @param detectedAt when the hub detected it
 * @param table the table, lower case
 * @param rowKey the row's key; null for a table-level conflict
 * @param incoming the delta that arrived
 * @param hubDeltas the hub's deltas it conflicted with, oldest first
 * @param hubRow the hub's row when detected; null when absent or unknown
 * @param incomingRow the row as the incoming delta would have made it; null when none or unknown
 * @param policy the policy that decided, as configured (e.g. {@code manual})
 * @param status OPEN while parked, then RESOLVED
 * @param outcome how it was resolved; null while open
 * @param resultRow the row after resolution; null when deleted, unknown or open
 * @param imageDeltaIds the row-image deltas sent to every node after resolving; empty while open
 * @param resolvedAt when it was resolved; null while open
 * @param resolvedBy the policy, or the admin who resolved a parked conflict; null while open
 * @param detail how it was resolved, in words; null while open
 */
public record ConflictRecord(
    long id,
    Instant detectedAt,
    String table,
    RowKey rowKey,
    Delta incoming,
    List<Delta> hubDeltas,
    Row hubRow,
    Row incomingRow,
    String policy,
    ConflictStatus status,
    ConflictOutcome outcome,
    Row resultRow,
    List<String> imageDeltaIds,
    Instant resolvedAt,
    String resolvedBy,
    String detail) {

  public ConflictRecord {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(incoming, "incoming");
    Objects.requireNonNull(status, "status");
    hubDeltas = List.copyOf(hubDeltas);
    imageDeltaIds = List.copyOf(imageDeltaIds);
  }

  /** Whether it waits for an admin. */
  public boolean open() {
    return status == ConflictStatus.OPEN;
  }
}
