package io.deltasync.conflict;

import java.util.Objects;

/**
 * What a {@link ConflictResolver} or an admin decided about a conflict. Whatever is decided, the
 * hub then sends every node a row image of the row as it ends up.
 */
public sealed interface Resolution {

  /** Keep the hub's row; the incoming delta is not applied. */
  static Resolution keepHub() {
    return KeepHub.INSTANCE;
  }

  /** Make the row what the incoming delta makes of the hub's row. */
  static Resolution takeIncoming() {
    return TakeIncoming.INSTANCE;
  }

  /** Write these values to the row (columns not given keep the hub's); row-level conflicts only. */
  static Resolution row(Row row) {
    return new UseRow(row);
  }

  /** Delete the row; row-level conflicts only. */
  static Resolution delete() {
    return DeleteRow.INSTANCE;
  }

  /** Apply nothing; park the conflict in {@code ds_conflict} until an admin decides. */
  static Resolution park() {
    return Park.INSTANCE;
  }

  /** Keep the hub's row. */
  enum KeepHub implements Resolution {
    INSTANCE
  }

  /** Take the incoming delta's effect. */
  enum TakeIncoming implements Resolution {
    INSTANCE
  }

  /** Delete the row. */
  enum DeleteRow implements Resolution {
    INSTANCE
  }

  /** Leave it to an admin. */
  enum Park implements Resolution {
    INSTANCE
  }

  /**
   * Custom values for the row.
   *
   * @param row the values; must hold the row's key columns with the conflict's key
   */
  record UseRow(Row row) implements Resolution {
    public UseRow {
      Objects.requireNonNull(row, "row");
    }
  }
}
