package io.deltasync.store;

/** Thrown when the store cannot read or write its tables; the message names the operation. */
public class DeltaStoreException extends RuntimeException {

  public DeltaStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
