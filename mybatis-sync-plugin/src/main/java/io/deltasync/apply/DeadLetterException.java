package io.deltasync.apply;

/**
 * Thrown when an operator's action on a dead letter cannot be done: there is no such record, or its
 * state does not allow it (skipping twice, retrying a skipped one). Nothing was changed.
 */
public class DeadLetterException extends RuntimeException {

  public DeadLetterException(String message) {
    super(message);
  }

  public DeadLetterException(String message, Throwable cause) {
    super(message, cause);
  }
}
