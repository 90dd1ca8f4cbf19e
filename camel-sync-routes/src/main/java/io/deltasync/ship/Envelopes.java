package io.deltasync.ship;

import static io.deltasync.ship.ShipException.Reason.BAD_SIGNATURE;
import static io.deltasync.ship.ShipException.Reason.MALFORMED;
import static io.deltasync.ship.ShipException.Reason.MISADDRESSED;
import static io.deltasync.ship.ShipException.Reason.TOO_LARGE;
import static io.deltasync.ship.ShipException.Reason.UNKNOWN_SENDER;
import static io.deltasync.ship.ShipException.Reason.UNSIGNED;
import static io.deltasync.ship.ShipException.Reason.UNSUPPORTED_VERSION;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.ship.internal.Gzip;
import io.deltasync.ship.internal.Hmac;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Seals envelopes for the wire and opens them again, checking everything before trusting anything.
 *
 * <p>{@link #open} reads in an order that never parses what is not authenticated: size, gzip,
 * header, version, sender, recipient, signature; only then may the caller decode the payload.
 * Stateless and thread-safe.
 */
public final class Envelopes {

  /** An envelope's id: 1 to 64 visible ASCII characters, so no log line it appears in breaks. */
  private static final java.util.regex.Pattern ENVELOPE_ID =
      java.util.regex.Pattern.compile("[\\x21-\\x7e]{1,64}");

  /** The content type of a sealed envelope. */
  public static final String CONTENT_TYPE = "application/vnd.deltasync.envelope+gzip";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_HEADER_BYTES = 4096;
  private static final Pattern NODE_ID = Pattern.compile("[a-z0-9-]{1,64}");

  private Envelopes() {}

  /** The envelope as gzip-compressed bytes, signed with the secret shared with the recipient. */
  public static byte[] seal(Envelope envelope, byte[] secret) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("v", Envelope.FORMAT_VERSION);
    header.put("type", envelope.type().name().toLowerCase(Locale.ROOT));
    header.put("sender", envelope.sender());
    header.put("recipient", envelope.recipient());
    header.put("id", envelope.id());
    header.put("hmac", Base64.getEncoder().encodeToString(signature(envelope, secret)));
    try {
      byte[] head = JSON.writeValueAsBytes(header);
      return Gzip.compress(head, new byte[] {'\n'}, envelope.payloadView());
    } catch (IOException e) {
      throw new IllegalStateException("could not write the envelope header", e);
    }
  }

  /**
   * Opens an envelope addressed to this node and checks its signature.
   *
   * @param wire the bytes as received
   * @param secrets the secrets of the peers this node accepts envelopes from
   * @param recipient this node's id
   * @param limits the sizes this node accepts
   * @throws ShipException naming what is wrong; nothing should be kept of the message
   */
  public static Envelope open(
      byte[] wire, PeerSecrets secrets, String recipient, ShipLimits limits) {
    if (wire == null || wire.length == 0) {
      throw new ShipException(
          MALFORMED,
          "empty body: expected a gzip-compressed DeltaSync envelope (" + CONTENT_TYPE + ")");
    }
    if (wire.length > limits.maxEnvelopeBytes()) {
      throw new ShipException(
          TOO_LARGE,
          "envelope of "
              + wire.length
              + " bytes is larger than the "
              + limits.maxEnvelopeBytes()
              + " bytes this node accepts (deltasync.ship.max-envelope-bytes)");
    }
    Gzip.Split plain = Gzip.decompressSplit(wire, limits.maxBatchBytes(), MAX_HEADER_BYTES);
    if (plain.line() == null) {
      throw new ShipException(
          MALFORMED,
          "malformed envelope: no header line in the first " + MAX_HEADER_BYTES + " bytes");
    }
    JsonNode header = parseHeader(plain.line());
    int version = header.path("v").asInt(-1);
    if (!header.path("v").isInt()) {
      throw new ShipException(MALFORMED, "malformed envelope: the header has no format version v");
    }
    if (version != Envelope.FORMAT_VERSION) {
      throw new ShipException(
          UNSUPPORTED_VERSION,
          "unsupported envelope format version "
              + version
              + "; this node reads version "
              + Envelope.FORMAT_VERSION);
    }
    Envelope.Type type = type(header.path("type").asText(""));
    String sender = nodeId(header, "sender");
    String addressee = nodeId(header, "recipient");
    String id = header.path("id").asText("");
    if (!ENVELOPE_ID.matcher(id).matches()) {
      throw new ShipException(
          MALFORMED, "malformed envelope: id must be 1 to 64 visible ASCII characters (no space)");
    }
    String hmac = header.path("hmac").asText("");
    if (hmac.isEmpty()) {
      throw new ShipException(
          UNSIGNED, "unsigned envelope from " + sender + ": no hmac in the header");
    }
    byte[] secret =
        secrets
            .find(sender)
            .orElseThrow(
                () ->
                    new ShipException(
                        UNKNOWN_SENDER,
                        "unknown sender "
                            + sender
                            + ": this node has no secret for it (deltasync.ship.peers."
                            + sender
                            + ".secret)"));
    if (!addressee.equals(recipient)) {
      throw new ShipException(
          MISADDRESSED,
          "envelope from " + sender + " is addressed to " + addressee + ", not to " + recipient);
    }
    Envelope envelope = Envelope.owning(type, sender, addressee, id, plain.rest());
    byte[] claimed;
    try {
      claimed = Base64.getDecoder().decode(hmac);
    } catch (IllegalArgumentException e) {
      claimed = new byte[0];
    }
    if (!MessageDigest.isEqual(claimed, signature(envelope, secret))) {
      throw new ShipException(
          BAD_SIGNATURE,
          "bad signature on envelope "
              + id
              + " from "
              + sender
              + ": the secret differs, or the envelope was altered on the way");
    }
    return envelope;
  }

  private static byte[] signature(Envelope envelope, byte[] secret) {
    byte[] head =
        ("deltasync-envelope/"
                + Envelope.FORMAT_VERSION
                + "\n"
                + envelope.type().name()
                + "\n"
                + envelope.sender()
                + "\n"
                + envelope.recipient()
                + "\n"
                + envelope.id()
                + "\n")
            .getBytes(StandardCharsets.UTF_8);
    return Hmac.sha256(secret, head, envelope.payloadView());
  }

  private static JsonNode parseHeader(byte[] line) {
    try {
      JsonNode header = JSON.readTree(line);
      if (header == null || !header.isObject()) {
        throw new ShipException(MALFORMED, "malformed envelope: the header is not a JSON object");
      }
      return header;
    } catch (IOException e) {
      throw new ShipException(MALFORMED, "malformed envelope header: " + e.getMessage(), e);
    }
  }

  private static Envelope.Type type(String type) {
    return switch (type) {
      case "batch" -> Envelope.Type.BATCH;
      case "pull" -> Envelope.Type.PULL;
      case "verify" -> Envelope.Type.VERIFY;
      case "rewind" -> Envelope.Type.REWIND;
      case "load" -> Envelope.Type.LOAD;
      case "reload" -> Envelope.Type.RELOAD;
      default ->
          throw new ShipException(
              MALFORMED,
              "malformed envelope: type must be batch, pull, verify, load, rewind or reload, but"
                  + " was '"
                  + type
                  + "'");
    };
  }

  private static String nodeId(JsonNode header, String field) {
    String value = header.path(field).asText("");
    if (!NODE_ID.matcher(value).matches()) {
      throw new ShipException(
          MALFORMED,
          "malformed envelope: "
              + field
              + " must be a node id (1 to 64 of a-z, 0-9, '-'), but was '"
              + value
              + "'");
    }
    return value;
  }
}
