package io.deltasync.verify;

import java.util.List;
import java.util.Objects;

/**
 * What repairing one table of a node from its hub did. Immutable.
 *
 * @param table the table, lower case
 * @param repairedRanges the ranges made equal to the hub's, each in its own transaction
 * @param written rows inserted or updated with the hub's values
 * @param deleted extra rows deleted
 * @param skipped ranges left alone because a delta on their rows arrived or was written on the node
 *     while repairing, every attempt: verify again
 */
public record RepairReport(
    String table, int repairedRanges, int written, int deleted, List<KeyRange> skipped) {

  public RepairReport {
    Objects.requireNonNull(table, "table");
    skipped = List.copyOf(skipped);
  }
}
