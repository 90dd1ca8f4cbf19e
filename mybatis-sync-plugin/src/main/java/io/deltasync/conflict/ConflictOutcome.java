package io.deltasync.conflict;

/** How a conflict was resolved. */
public enum ConflictOutcome {
  /** The hub's row was kept; the incoming delta was not applied. */
  KEPT_HUB,
  /** The incoming delta's effect was applied. */
  TOOK_INCOMING,
  /** Custom values were written to the row. */
  CUSTOM_ROW,
  /** The row was deleted. */
  DELETED_ROW
}
