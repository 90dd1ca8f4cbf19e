package io.deltasync.load;

/** Thrown when an initial load cannot go on; the message says which table and what to do. */
public class LoadException extends RuntimeException {

  public LoadException(String message) {
    super(message);
  }

  public LoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
