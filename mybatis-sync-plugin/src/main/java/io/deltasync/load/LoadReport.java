package io.deltasync.load;

import java.util.Map;

/**
 * What an initial load did. Immutable.
 *
 * @param peer the hub the rows came from
 * @param loadId the hub's snapshot session
 * @param snapshotSeq P: the receiver's pointer for the hub after the load
 * @param rows rows written per table in this run (a resumed load counts only what it wrote)
 * @param restarted whether the hub had lost the snapshot of an interrupted load, so it started over
 * @param millis how long this run took
 */
public record LoadReport(
    String peer,
    String loadId,
    long snapshotSeq,
    Map<String, Long> rows,
    boolean restarted,
    long millis) {

  public LoadReport {
    rows = Map.copyOf(rows);
  }

  /** All rows written in this run. */
  public long totalRows() {
    return rows.values().stream().mapToLong(Long::longValue).sum();
  }
}
