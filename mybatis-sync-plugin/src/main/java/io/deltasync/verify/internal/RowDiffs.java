package io.deltasync.verify.internal;

import io.deltasync.conflict.Row;
import io.deltasync.verify.KeyRange;
import io.deltasync.verify.RowDifference;
import io.deltasync.verify.RowDifference.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which rows differ between the hub and the node, by key text. */
public final class RowDiffs {

  private RowDiffs() {}

  /** The rows by their key texts to match by ({@link RowText#matchKey}), in the order given. */
  public static Map<List<String>, Row> byKey(TableShape shape, List<Row> rows) {
    Map<List<String>, Row> byKey = new LinkedHashMap<>();
    rows.forEach(row -> byKey.put(RowText.matchKey(row, shape.keyColumns()), row));
    return byKey;
  }

  /**
   * The differences of several ranges of one table, compared range by range, with the rows one side
   * lacks in a range looked for in the other side's other ranges: databases that sort text keys
   * differently (a case-insensitive MariaDB collation, PostgreSQL in a language's collation against
   * H2) cut the same rows into ranges differently, and a row in another range is neither missing
   * nor extra. Holds only the rows one side lacked in their range. Not thread-safe.
   */
  public static final class Across {

    /** A row one side lacked in its range: its key, its text's fingerprint, the range. */
    private record Lacked(io.deltasync.delta.RowKey key, String fingerprint, KeyRange range) {}

    private final TableShape shape;
    private final List<RowDifference> changed = new ArrayList<>();
    private final Map<List<String>, KeyRange> changedIn = new LinkedHashMap<>();
    private final Map<List<String>, Lacked> missing = new LinkedHashMap<>();
    private final Map<List<String>, Lacked> extra = new LinkedHashMap<>();

    public Across(TableShape shape) {
      this.shape = shape;
    }

    /** Compares one range's rows of the hub and of the node. */
    public void add(KeyRange range, List<Row> hubRows, List<Row> nodeRows) {
      Map<List<String>, Row> node = byKey(shape, nodeRows);
      for (Row hubRow : hubRows) {
        List<String> key = RowText.matchKey(hubRow, shape.keyColumns());
        Row nodeRow = node.remove(key);
        if (nodeRow == null) {
          missing.put(key, lacked(hubRow, range));
        } else if (!RowText.of(nodeRow).equals(RowText.of(hubRow))) {
          changed.add(difference(shape, hubRow, Kind.CHANGED));
          changedIn.put(key, range);
        }
      }
      node.forEach((key, row) -> extra.put(key, lacked(row, range)));
    }

    private Lacked lacked(Row row, KeyRange range) {
      RowText fingerprint = new RowText();
      fingerprint.add(row);
      return new Lacked(row.key(shape.keyColumns()), fingerprint.hash(), range);
    }

    /**
     * The differences of all ranges added (changed rows first, then missing, then extra) and, into
     * {@code ranges}, the ranges that hold one, in the order first found.
     */
    public List<RowDifference> differences(java.util.Collection<KeyRange> ranges) {
      List<RowDifference> found = new ArrayList<>(changed);
      java.util.Set<KeyRange> holding = new java.util.LinkedHashSet<>(changedIn.values());
      List<RowDifference> lacked = new ArrayList<>();
      for (Map.Entry<List<String>, Lacked> hub : missing.entrySet()) {
        Lacked elsewhere = extra.remove(hub.getKey());
        Lacked hubRow = hub.getValue();
        if (elsewhere == null) {
          lacked.add(new RowDifference(shape.table(), hubRow.key(), Kind.MISSING));
          holding.add(hub.getValue().range());
        } else if (!elsewhere.fingerprint().equals(hubRow.fingerprint())) {
          found.add(new RowDifference(shape.table(), hubRow.key(), Kind.CHANGED));
          holding.add(hub.getValue().range());
          holding.add(elsewhere.range());
        }
      }
      found.addAll(lacked);
      extra
          .values()
          .forEach(
              node -> {
                found.add(new RowDifference(shape.table(), node.key(), Kind.EXTRA));
                holding.add(node.range());
              });
      ranges.addAll(holding);
      return found;
    }
  }

  private static RowDifference difference(TableShape shape, Row row, Kind kind) {
    return new RowDifference(shape.table(), row.key(shape.keyColumns()), kind);
  }
}
