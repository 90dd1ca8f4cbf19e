package io.deltasync.conflict;

/** A conflict could not be resolved as asked: says which conflict, what failed and what to do. */
public class ConflictException extends RuntimeException {

  public ConflictException(String message) {
    super(message);
  }

  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
