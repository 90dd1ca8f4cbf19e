package io.deltasync.conflict;

/** Where a recorded conflict stands. */
public enum ConflictStatus {
  /** Parked: nothing applied at the hub until an admin resolves it. */
  OPEN,
  /** Decided, by a policy or an admin. */
  RESOLVED
}
