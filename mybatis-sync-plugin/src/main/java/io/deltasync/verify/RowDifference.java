package io.deltasync.verify;

import io.deltasync.delta.RowKey;
import java.util.Objects;

/**
 * One row that differs between a node and its hub. Immutable.
 *
 * @param table the table, lower case
 * @param key the row's primary key, as captured deltas name it
 * @param kind how it differs
 */
public record RowDifference(String table, RowKey key, Kind kind) {

  /** How a node's row differs from the hub's. */
  public enum Kind {
    /** Both hold the row, with different values in some column. */
    CHANGED,
    /** The hub holds the row, the node does not. */
    MISSING,
    /** The node holds the row, the hub does not. */
    EXTRA
  }

  public RowDifference {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
  }

  @Override
  public String toString() {
    return kind + " " + table + " " + key;
  }
}
