package io.deltasync.apply;

/**
 * Thrown when a delta fails to execute: the whole batch was rolled back, the pointer did not move,
 * and the failing delta is recorded in {@code ds_dead_letter} as FAILED. Applying the same batch
 * again retries it.
 */
public class DeltaApplyException extends RuntimeException {

  private final String deltaId;

  public DeltaApplyException(String deltaId, String message, Throwable cause) {
    super(message, cause);
    this.deltaId = deltaId;
  }

  /** The id of the delta that failed, or null when the batch failed as a whole. */
  public String deltaId() {
    return deltaId;
  }
}
