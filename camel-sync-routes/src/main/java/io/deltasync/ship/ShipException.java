package io.deltasync.ship;

/**
 * Thrown when a node refuses what another node sent: unauthenticated, malformed, too large, or
 * carrying a delta it must not run. Nothing of the refused message was stored or applied.
 *
 * <p>{@link #status()} is the HTTP status the hub answers with; queue and folder routes send the
 * message to their dead-letter endpoint instead of retrying it, since sending the same bytes again
 * cannot succeed.
 */
public class ShipException extends RuntimeException {

  /** Why a message was refused; each maps to one HTTP status. */
  public enum Reason {
    /** The body is empty, not gzip, truncated, or not a well-formed envelope or batch. */
    MALFORMED(400),
    /** The envelope was written in a format version this node does not read. */
    UNSUPPORTED_VERSION(400),
    /** The envelope is addressed to another node. */
    MISADDRESSED(400),
    /** A delta in the batch fails validation (not one DML statement on a replicated table). */
    REFUSED_DELTA(400),
    /** A verify request names a table the node does not replicate, or one without a primary key. */
    REFUSED_VERIFY(400),
    /** A load request names a table the hub does not replicate, or one without a primary key. */
    REFUSED_LOAD(400),
    /** A load request names a snapshot the hub no longer holds: the receiver starts over. */
    LOAD_GONE(410),
    /**
     * A pull from a node that must reload first: this node purged deltas it lacks, or its database
     * went back; it reloads from a snapshot, then pulls again.
     */
    RELOAD_NEEDED(410),
    /** The envelope carries no signature. */
    UNSIGNED(401),
    /** No secret is configured for the sender. */
    UNKNOWN_SENDER(401),
    /** The signature does not match: a wrong secret, or the envelope was altered. */
    BAD_SIGNATURE(401),
    /** The envelope or the batch inside is larger than this node accepts. */
    TOO_LARGE(413);

    private final int status;

    Reason(int status) {
      this.status = status;
    }

    /** The HTTP status for this reason. */
    public int status() {
      return status;
    }
  }

  private final Reason reason;

  public ShipException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ShipException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the message was refused. */
  public Reason getReason() {
    return reason;
  }

  /** The HTTP status to answer with. */
  public int getStatus() {
    return reason.status();
  }
}
