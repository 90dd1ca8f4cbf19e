package io.deltasync.load;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where a node's load (initial load or reload) from one peer stands, as read at one moment from
 * {@code ds_load} and {@code ds_reload} by {@link LoadProgressReader}. Immutable.
 *
 * <p>The rate counts every row the load wrote since its snapshot opened (a load resumed after a
 * stop counts the time it stood still too), up to now while it loads and up to its last chunk once
 * done. The time left is known only when the hub said how many rows each table holds ({@link
 * LoadStart#rows()}; hubs before that field do not) and rows have been loaded.
 *
 * @param peer the node the rows come from (this node's hub)
 * @param state where the load stands
 * @param reason why a reload is due or held; null otherwise
 * @param loadId the hub's snapshot session of the latest load; null when none has begun
 * @param snapshotSeq the snapshot's position P (the pointer after the load); 0 when none has begun
 * @param tablesTotal how many tables the load copies
 * @param tablesDone how many of them are done
 * @param currentTable the first table not done yet (tables load in name order); null when none
 * @param rowsLoaded rows written so far, all tables
 * @param rowsTotal rows in the hub's snapshot, all tables; null when the hub did not say
 * @param startedAt when the load opened its snapshot; null when unknown
 * @param updatedAt when the last chunk was applied; null when none has begun
 * @param rowsPerSecond rows loaded per second since {@code startedAt}; 0 when unknown
 * @param secondsLeft the estimated time left at that rate; null when it cannot be estimated
 * @param tables every table of the load, by name
 */
public record LoadProgress(
    String peer,
    State state,
    String reason,
    String loadId,
    long snapshotSeq,
    int tablesTotal,
    int tablesDone,
    String currentTable,
    long rowsLoaded,
    Long rowsTotal,
    Instant startedAt,
    Instant updatedAt,
    double rowsPerSecond,
    Long secondsLeft,
    List<Table> tables) {

  public LoadProgress {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(state, "state");
    tables = List.copyOf(tables);
  }

  /** Where a load stands. */
  public enum State {
    /** Chunks are being applied, or a stopped load waits to resume. */
    LOADING,
    /** Every table is loaded; the node pulls deltas after the snapshot. */
    DONE,
    /** A reload runs in place of the next pull ({@code deltasync.load.reload=auto}, or asked). */
    RELOAD_DUE,
    /**
     * The node pulls nothing until an operator reloads it ({@code deltasync.load.reload=manual}).
     */
    HELD
  }

  /**
   * One table of a load.
   *
   * @param table the table
   * @param rowsLoaded rows written so far
   * @param rowsTotal rows in the hub's snapshot; null when the hub did not say
   * @param done whether its last chunk is applied
   */
  public record Table(String table, long rowsLoaded, Long rowsTotal, boolean done) {}

  /** The rows, rate and time left in a few words, as the log says them after each table. */
  public String summary() {
    String rows =
        rowsLoaded
            + (rowsTotal == null ? "" : " of " + rowsTotal)
            + " rows in all, "
            + Math.round(rowsPerSecond)
            + " rows/s since the load began";
    if (secondsLeft != null) {
      return rows + ", about " + secondsLeft + " s left";
    }
    return rowsTotal == null
        ? rows + " (no time left estimated: the hub did not say how many rows it holds)"
        : rows;
  }

  /** The estimated time left, when there is one. */
  public Duration timeLeft() {
    return secondsLeft == null ? null : Duration.ofSeconds(secondsLeft);
  }
}
