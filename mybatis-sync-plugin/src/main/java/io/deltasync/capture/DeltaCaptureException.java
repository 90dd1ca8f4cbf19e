package io.deltasync.capture;

/**
 * Thrown inside the application's transaction when a mutation cannot be recorded; the transaction
 * should roll back so that no change goes unrecorded.
 */
public class DeltaCaptureException extends RuntimeException {

  public DeltaCaptureException(String message) {
    super(message);
  }

  public DeltaCaptureException(String message, Throwable cause) {
    super(message, cause);
  }
}
