package io.deltasync.verify;

import java.util.List;
import java.util.Objects;

/**
 * What verifying one table of a node against its hub found. Immutable.
 *
 * @param table the table, lower case
 * @param nodeId the verified node
 * @param hubId its hub
 * @param hubSeq the hub's seq of the last comparison: the node had caught up with it
 * @param ranges how many key ranges were compared
 * @param nodeRows the node's rows when it was checksummed
 * @param differingRanges the ranges that differed in both rounds and still hold a differing row
 * @param rows the differing rows, in range order
 */
public record VerifyReport(
    String table,
    String nodeId,
    String hubId,
    long hubSeq,
    int ranges,
    long nodeRows,
    List<KeyRange> differingRanges,
    List<RowDifference> rows) {

  public VerifyReport {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(hubId, "hubId");
    differingRanges = List.copyOf(differingRanges);
    rows = List.copyOf(rows);
  }

  /** Whether the node's table equals the hub's. */
  public boolean inSync() {
    return differingRanges.isEmpty();
  }
}
