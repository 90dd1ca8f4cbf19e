package io.deltasync.load;

/**
 * Thrown when the hub no longer holds the snapshot a load reads from (the hub restarted, or the
 * load was idle longer than the hub keeps a snapshot). The receiver starts the load over.
 */
public class LoadSessionLostException extends LoadException {

  public LoadSessionLostException(String message) {
    super(message);
  }
}
