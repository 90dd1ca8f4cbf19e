package io.deltasync.delta;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The primary-key values that identify the one row a statement affects.
 *
 * <p>Trailing spaces are not part of a value: a {@code CHAR(n)} key reads back padded from H2 and
 * PostgreSQL ({@code 'ab '}) and trimmed from MariaDB ({@code 'ab'}), an application binds what it
 * read, and each database takes both spellings for the one row (MariaDB for {@code VARCHAR} too).
 * With the spaces kept, two clients changing that row through different spellings were two rows to
 * the hub's conflict check, and the nodes ended with different values. The price: two {@code
 * VARCHAR} keys that differ only in trailing spaces, separate rows on PostgreSQL and H2, are one
 * row here, so their changes may be taken for conflicting ones.
 *
 * @param values key column name (lower case) to the value's text without trailing spaces; sorted by
 *     column, never empty
 */
public record RowKey(SortedMap<String, String> values) {

  public RowKey {
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("a row key needs at least one column, but had none");
    }
    TreeMap<String, String> canonical = new TreeMap<>();
    values.forEach(
        (column, value) -> {
          if (value == null) {
            throw new IllegalArgumentException(
                "a row key value must not be null, but column " + column + " had null");
          }
          canonical.put(column, withoutTrailingSpaces(value));
        });
    values = Collections.unmodifiableSortedMap(canonical);
  }

  private static String withoutTrailingSpaces(String value) {
    int end = value.length();
    while (end > 0 && value.charAt(end - 1) == ' ') {
      end--;
    }
    return end == value.length() ? value : value.substring(0, end);
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
