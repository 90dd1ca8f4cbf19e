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
 *
 * @param type what the payload is
 * @param sender node id of the sending node
 * @param recipient node id of the node it is for
 * @param id the batch id, or the request's id
 * @param payload the batch as {@code DeltaCodec} JSON, the pull request as JSON, verify JSON, or
 *     the rewind as JSON
 */
public record Envelope(Type type, String sender, String recipient, String id, byte[] payload) {

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

  public Envelope {
    Objects.requireNonNull(type, "type");
    Delta.requireNodeId(sender, "sender");
    Delta.requireNodeId(recipient, "recipient");
    if (id == null || id.isBlank() || id.length() > 64) {
      throw new IllegalArgumentException("id must be 1 to 64 characters, but was " + id);
    }
    payload = Objects.requireNonNull(payload, "payload").clone();
  }

  @Override
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
