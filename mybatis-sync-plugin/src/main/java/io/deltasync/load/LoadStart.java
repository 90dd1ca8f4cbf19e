package io.deltasync.load;

import io.deltasync.delta.Delta;
import io.deltasync.delta.Incarnation;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A load the hub opened: the snapshot session to read chunks from and the snapshot's position.
 * Immutable.
 *
 * @param loadId the hub's name for the snapshot session
 * @param snapshotSeq P, the hub's highest seq visible in the snapshot: it holds every delta up to P
 *     and none after
 * @param incarnation the hub's incarnation that P counts in, or null when the hub keeps none
 * @param tables the tables the load copies: those asked for that the hub replicates
 * @param rows how many rows each table holds in the snapshot, by table; empty when the hub did not
 *     say (hubs before this field), and then no time left can be estimated
 */
public record LoadStart(
    String loadId,
    long snapshotSeq,
    Incarnation incarnation,
    List<String> tables,
    Map<String, Long> rows) {

  public LoadStart {
    tables = List.copyOf(tables);
    rows = Map.copyOf(rows);
    Objects.requireNonNull(loadId, "loadId");
    Delta.requireToken(loadId, "loadId");
    if (snapshotSeq < 0) {
      throw new IllegalArgumentException("snapshotSeq must be >= 0, but was " + snapshotSeq);
    }
  }

  /** A load whose hub did not say how many rows its tables hold. */
  public LoadStart(String loadId, long snapshotSeq, Incarnation incarnation, List<String> tables) {
    this(loadId, snapshotSeq, incarnation, tables, Map.of());
  }
}
