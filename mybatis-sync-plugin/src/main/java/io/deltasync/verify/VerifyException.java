package io.deltasync.verify;

/**
 * A table could not be verified or repaired: says which table, what is wrong and what to do, such
 * as a table without a primary key or one this node does not replicate.
 */
public class VerifyException extends RuntimeException {

  public VerifyException(String message) {
    super(message);
  }

  public VerifyException(String message, Throwable cause) {
    super(message, cause);
  }
}
