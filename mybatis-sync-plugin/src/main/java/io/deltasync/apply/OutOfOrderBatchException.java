package io.deltasync.apply;

/**
 * Thrown when a batch does not continue where the receiver is: it starts after a seq of the sender
 * that the receiver has not processed yet, so a batch in between is missing. Nothing of the batch
 * was applied; the sender should send again from {@link #lastProcessed()}.
 */
public class OutOfOrderBatchException extends DeltaApplyException {

  private final long lastProcessed;

  public OutOfOrderBatchException(String message, long lastProcessed) {
    super(null, message, null);
    this.lastProcessed = lastProcessed;
  }

  /**
   * The receiver's {@code lastProcessed} pointer for the sender: where the next batch must start.
   */
  public long lastProcessed() {
    return lastProcessed;
  }
}
