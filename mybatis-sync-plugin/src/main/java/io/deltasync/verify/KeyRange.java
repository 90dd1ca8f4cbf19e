package io.deltasync.verify;

import java.util.List;
import java.util.Objects;

/**
 * One key range of a table and the checksum of its rows: the rows whose primary key is above {@code
 * after} and at most {@code upTo}, in the database's own key order.
 *
 * <p>Keys are the texts {@code ParamText} gives their values, in primary-key column order, so a
 * range means the same on every database. Immutable.
 *
 * @param after the key just below the range; null from the table's first row
 * @param upTo the range's last key; null to the table's end
 * @param rows how many rows the range holds
 * @param hash hex SHA-256 of the canonical text of every column of every row, in key order
 */
public record KeyRange(List<String> after, List<String> upTo, long rows, String hash) {

  public KeyRange {
    after = after == null ? null : List.copyOf(after);
    upTo = upTo == null ? null : List.copyOf(upTo);
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, but was " + rows);
    }
    Objects.requireNonNull(hash, "hash");
  }

  /** The bounds alone, for asking another node to measure the same range. */
  public static KeyRange bounds(List<String> after, List<String> upTo) {
    return new KeyRange(after, upTo, 0, "");
  }

  /** Whether the other range has the same bounds, row count and hash. */
  public boolean sameAs(KeyRange other) {
    return Objects.equals(after, other.after)
        && Objects.equals(upTo, other.upTo)
        && rows == other.rows
        && hash.equals(other.hash);
  }

  @Override
  public String toString() {
    return "(" + (after == null ? "start" : after) + ", " + (upTo == null ? "end" : upTo) + "]";
  }
}
