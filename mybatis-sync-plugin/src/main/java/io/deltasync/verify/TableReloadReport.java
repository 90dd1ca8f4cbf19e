package io.deltasync.verify;

import java.util.List;
import java.util.Objects;

/**
 * What reloading one table of a node from its hub did ({@link Verifier#reloadTable}). Immutable.
 *
 * @param table the table, lower case
 * @param hubId the hub it was reloaded from
 * @param hubSeq the highest hub seq the node caught up with while reloading: every delta the hub
 *     held up to it is in the node's table
 * @param reloadedRanges the key ranges made equal to the hub's, each in its own transaction
 * @param written rows inserted or updated with the hub's values
 * @param deleted the node's rows the hub does not hold, deleted
 * @param skipped ranges left as they were because a delta on their rows arrived or was written on
 *     the node while reloading them, every attempt: reload the table again, or verify it
 * @param millis how long the reload took
 */
public record TableReloadReport(
    String table,
    String hubId,
    long hubSeq,
    int reloadedRanges,
    long written,
    long deleted,
    List<KeyRange> skipped,
    long millis) {

  public TableReloadReport {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(hubId, "hubId");
    skipped = List.copyOf(skipped);
  }

  /** Whether every range of the table was reloaded, none skipped. */
  public boolean complete() {
    return skipped.isEmpty();
  }
}
