package io.deltasync.ship;

import io.deltasync.delta.Delta;
import java.util.Arrays;
import java.util.Objects;

/**
 * What one node sends another: a batch of deltas, a request to pull one, a verify request or
 * answer, or a rewind, signed by the sender.
 *
 * <p>On the wire an envelope is gzip-compressed: one JSON header line, then the payload. The header
 * carries the format version {@code v}, the {@code type}, the {@code sender} and {@code recipient}
 * node ids, the {@code id} of the batch or request, and {@code hmac}: the Base64 HMAC-SHA256, keyed
 * with the secret the two nodes share, of the type, sender, recipient, id and payload. See {@link
 * Envelopes}.
 */
public final class Envelope {

  /** The envelope format this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** What an envelope carries. */
  public enum Type {
    /** A batch of deltas ({@code DeltaCodec.encodeBatch}). */
    BATCH,
    /** A request for the deltas after a seq ({@link PullRequest}). */
    PULL,
    /**
     * A verify request ({@link VerifyRequest}), or the hub's answer to one ({@link VerifyJson});
     * the recipient tells which.
     */
    VERIFY,
    /**
     * An initial-load request ({@link LoadRequest}), or the hub's answer to one ({@link LoadJson});
     * the recipient tells which.
     */
    LOAD,
    /**
     * A receiver telling its sender where to resume ({@link Rewind}): it refused a batch as out of
     * order because it has processed less than it had acknowledged (restored from a backup).
     */
    REWIND,
    /**
     * A sender telling a peer it pushes to over a queue or folder that the peer must reload from it
     * first (UTF-8 text: why); it sends the peer nothing else until then (see {@link Reloading}).
     */
    RELOAD
  }

  private final Type type;
  private final String sender;
  private final String recipient;
  private final String id;
  private final byte[] payload;

  /**
   * An envelope of a copy of the payload.
   *
   * @param type what the payload is
   * @param sender node id of the sending node
   * @param recipient node id of the node it is for
   * @param id the batch id, or the request's id
   * @param payload the batch as {@code DeltaCodec} JSON, the pull request as JSON, verify JSON, or
   *     the rewind as JSON
   */
  public Envelope(Type type, String sender, String recipient, String id, byte[] payload) {
    this(Objects.requireNonNull(payload, "payload").clone(), type, sender, recipient, id);
  }

  /** Takes the payload as it is (see {@link #owning}). */
  private Envelope(byte[] payload, Type type, String sender, String recipient, String id) {
    Objects.requireNonNull(type, "type");
    Delta.requireNodeId(sender, "sender");
    Delta.requireNodeId(recipient, "recipient");
    if (id == null || id.isBlank() || id.length() > 64) {
      throw new IllegalArgumentException("id must be 1 to 64 characters, but was " + id);
    }
    this.type = type;
    this.sender = sender;
    this.recipient = recipient;
    this.id = id;
    this.payload = Objects.requireNonNull(payload, "payload");
  }

  /**
   * An envelope that takes the payload itself, not a copy, for this package's writers and readers
   * of payloads no one else holds: a load's chunk or a batch is megabytes, copied for nothing.
   */
  static Envelope owning(Type type, String sender, String recipient, String id, byte[] payload) {
    return new Envelope(payload, type, sender, recipient, id);
  }

  public Type type() {
    return type;
  }

  public String sender() {
    return sender;
  }

  public String recipient() {
    return recipient;
  }

  public String id() {
    return id;
  }

  /** A copy of the payload. */
  public byte[] payload() {
    return payload.clone();
  }

  /**
   * The payload itself, not a copy, for this package's readers and the signature: a load or a batch
   * is read once, and copying hundreds of kilobytes per message only feeds the collector. Never
   * written to.
   */
  byte[] payloadView() {
    return payload;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Envelope that
        && type == that.type
        && sender.equals(that.sender)
        && recipient.equals(that.recipient)
        && id.equals(that.id)
        && Arrays.equals(payload, that.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, sender, recipient, id, Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return type + " " + id + " from " + sender + " to " + recipient;
  }
}
