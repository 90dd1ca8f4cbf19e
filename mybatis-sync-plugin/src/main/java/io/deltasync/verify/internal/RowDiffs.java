package io.deltasync.verify.internal;

import io.deltasync.conflict.Row;
import io.deltasync.verify.RowDifference;
import io.deltasync.verify.RowDifference.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which rows of one range differ between the hub and the node, by key text. Stateless. */
public final class RowDiffs {

  private RowDiffs() {}

  /** The differences, the hub's rows in their order first, then the node's extra rows. */
  public static List<RowDifference> of(TableShape shape, List<Row> hubRows, List<Row> nodeRows) {
    Map<List<String>, Row> node = byKey(shape, nodeRows);
    List<RowDifference> differences = new ArrayList<>();
    for (Row hubRow : hubRows) {
      Row nodeRow = node.remove(RowText.key(hubRow, shape.keyColumns()));
      if (nodeRow == null) {
        differences.add(difference(shape, hubRow, Kind.MISSING));
      } else if (!RowText.of(nodeRow).equals(RowText.of(hubRow))) {
        differences.add(difference(shape, hubRow, Kind.CHANGED));
      }
    }
    node.values().forEach(extra -> differences.add(difference(shape, extra, Kind.EXTRA)));
    return differences;
  }

  /** The rows by their key texts, in the order given. */
  public static Map<List<String>, Row> byKey(TableShape shape, List<Row> rows) {
    Map<List<String>, Row> byKey = new LinkedHashMap<>();
    rows.forEach(row -> byKey.put(RowText.key(row, shape.keyColumns()), row));
    return byKey;
  }

  private static RowDifference difference(TableShape shape, Row row, Kind kind) {
    return new RowDifference(shape.table(), row.key(shape.keyColumns()), kind);
  }
}
