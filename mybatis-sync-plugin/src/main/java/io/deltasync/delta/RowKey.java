package io.deltasync.delta;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The primary-key values that identify the one row a statement affects.
 *
 * @param values key column name (lower case) to the value's text; sorted by column, never empty
 */
public record RowKey(SortedMap<String, String> values) {

  public RowKey {
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("a row key needs at least one column, but had none");
    }
    values.forEach(
        (column, value) -> {
          if (value == null) {
            throw new IllegalArgumentException(
                "a row key value must not be null, but column " + column + " had null");
          }
        });
    values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
  }

  /** A row key from column names to values; column names are compared case-insensitively. */
  public static RowKey of(Map<String, String> values) {
    TreeMap<String, String> lower = new TreeMap<>();
    values.forEach((column, value) -> lower.put(column.toLowerCase(java.util.Locale.ROOT), value));
    return new RowKey(lower);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
