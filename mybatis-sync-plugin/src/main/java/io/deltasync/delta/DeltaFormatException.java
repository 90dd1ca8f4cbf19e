package io.deltasync.delta;

/** Thrown when encoded deltas cannot be read: malformed JSON, a missing field, a wrong value. */
public class DeltaFormatException extends RuntimeException {

  public DeltaFormatException(String message) {
    super(message);
  }

  public DeltaFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
