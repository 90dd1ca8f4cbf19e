package io.deltasync.conflict.internal;

import io.deltasync.delta.Param;
import io.deltasync.delta.RowKey;
import java.util.List;

/**
 * One row of an application table, found by its key.
 *
 * @param table the table, lower case and unqualified, as deltas name it
 * @param tableRef the table as the statements write it (qualified when they qualify it)
 * @param keyColumns the primary-key columns, lower case, in key order
 * @param keyValues the key's values, typed, in {@code keyColumns} order
 */
record Target(String table, String tableRef, List<String> keyColumns, List<Param> keyValues) {

  Target {
    keyColumns = List.copyOf(keyColumns);
    keyValues = List.copyOf(keyValues);
  }

  /** The key as deltas record it. */
  RowKey rowKey() {
    java.util.TreeMap<String, String> values = new java.util.TreeMap<>();
    for (int i = 0; i < keyColumns.size(); i++) {
      values.put(keyColumns.get(i), io.deltasync.delta.internal.ParamText.of(keyValues.get(i)));
    }
    return new RowKey(values);
  }

  /** A text identity for de-duplicating targets. */
  String identity() {
    return table + " " + ConflictRows.keyText(rowKey());
  }
}
