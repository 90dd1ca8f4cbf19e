package io.deltasync.ship;

/** Message headers the {@code deltasync:} endpoints set; informative only, never trusted. */
public final class ShipHeaders {

  /** Node id of the sender. */
  public static final String SENDER = "DeltaSyncSender";

  /** Node id of the recipient. */
  public static final String RECIPIENT = "DeltaSyncRecipient";

  /** The batch (or pull request) id. */
  public static final String BATCH_ID = "DeltaSyncBatchId";

  /** The sender's seq the batch continues from. */
  public static final String AFTER_SEQ = "DeltaSyncAfterSeq";

  /** The sender's seq the batch reaches. */
  public static final String UP_TO_SEQ = "DeltaSyncUpToSeq";

  /** Deltas in the batch. */
  public static final String DELTA_COUNT = "DeltaSyncDeltaCount";

  /**
   * A file name that sorts in the sender's seq order: {@code <sender>-<upToSeq, 19 digits>-<batch
   * id>.dsync}; the file routes write under it.
   */
  public static final String FILE_NAME = "DeltaSyncFileName";

  /** On a refused out-of-order batch: the receiver's pointer, where the sender must resume. */
  public static final String LAST_PROCESSED = "DeltaSyncLastProcessed";

  /**
   * On an answer over a queue, which has no status line: the status of a refusal, as the HTTP
   * endpoints would answer it (400, 401, 410, 503), with the reason as the text body; absent on an
   * answer.
   */
  public static final String STATUS = "DeltaSyncStatus";

  /**
   * Exchange property (not a header: nothing that arrives can set it), true when {@code
   * deltasync:inbox?outOfOrder=rewind} dropped an out-of-order batch and put a rewind for its
   * sender in the message, which the route then sends to {@link #RECIPIENT}.
   */
  public static final String REWIND = "DeltaSyncRewind";

  private ShipHeaders() {}
}
