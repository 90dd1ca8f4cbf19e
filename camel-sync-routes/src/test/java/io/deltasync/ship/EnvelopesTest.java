package io.deltasync.ship;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.ship.internal.Gzip;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopesTest {

  private static final PeerSecrets HUB_SECRETS =
      PeerSecrets.of(Map.of("node-a", "node-a-and-hub-share-this"));
  private static final byte[] SECRET = "node-a-and-hub-share-this".getBytes(UTF_8);

  private final Envelope envelope =
      new Envelope(Envelope.Type.BATCH, "node-a", "hub", "b-1", "{\"deltas\":[]}".getBytes(UTF_8));

  @Test
  void opensWhatItSealed() {
    byte[] wire = Envelopes.seal(envelope, SECRET);

    assertThat(Envelopes.open(wire, HUB_SECRETS, "hub", ShipLimits.DEFAULT)).isEqualTo(envelope);
  }

  @Test
  void writesAReadableHeaderLineThenThePayload() {
    String plain = new String(Gzip.decompress(Envelopes.seal(envelope, SECRET), 1 << 20), UTF_8);

    assertThat(plain)
        .startsWith(
            "{\"v\":1,\"type\":\"batch\",\"sender\":\"node-a\",\"recipient\":\"hub\",\"id\":\"b-1\",\"hmac\":\"")
        .endsWith("\"}\n{\"deltas\":[]}");
  }

  @Test
  void theSignatureCoversTheRecipient() {
    byte[] wire = Envelopes.seal(envelope, SECRET);
    PeerSecrets otherHub = PeerSecrets.of(Map.of("node-a", "node-a-and-hub-share-this"));

    assertThatThrownBy(() -> Envelopes.open(wire, otherHub, "hub-2", ShipLimits.DEFAULT))
        .isInstanceOf(ShipException.class)
        .hasMessage("envelope from node-a is addressed to hub, not to hub-2");
  }

  @Test
  void opensARewindItSealed() {
    Envelope rewind =
        new Envelope(
            Envelope.Type.REWIND, "node-a", "hub", "r-1", new Rewind(120, "b-9", 180).encode());

    Envelope opened =
        Envelopes.open(Envelopes.seal(rewind, SECRET), HUB_SECRETS, "hub", ShipLimits.DEFAULT);

    assertThat(opened).isEqualTo(rewind);
    assertThat(Rewind.decode(opened.payload())).isEqualTo(new Rewind(120, "b-9", 180));
    assertThat(new String(opened.payload(), UTF_8))
        .isEqualTo("{\"lastProcessed\":120,\"refusedBatch\":\"b-9\",\"refusedAfterSeq\":180}");
  }

  @Test
  void aRewindMustPointBehindTheBatchItRefused() {
    assertThatThrownBy(
            () ->
                Rewind.decode(
                    "{\"lastProcessed\":200,\"refusedBatch\":\"b-9\",\"refusedAfterSeq\":180}"
                        .getBytes(UTF_8)))
        .isInstanceOf(ShipException.class)
        .hasMessageStartingWith("malformed rewind: refusedAfterSeq must be > lastProcessed 200");
    assertThatThrownBy(
            () ->
                Rewind.decode(
                    "{\"lastProcessed\":-1,\"refusedBatch\":\"b-9\",\"refusedAfterSeq\":180}"
                        .getBytes(UTF_8)))
        .hasMessage("malformed rewind: lastProcessed must be >= 0, but was -1");
    assertThatThrownBy(
            () ->
                Rewind.decode(
                    "{\"lastProcessed\":\"12\",\"refusedBatch\":\"b-9\",\"refusedAfterSeq\":180}"
                        .getBytes(UTF_8)))
        .hasMessageStartingWith("malformed rewind: expected {\"lastProcessed\":<seq>");
  }

  @Test
  void aSignatureThatIsNotBase64IsABadSignature() {
    String plain = new String(Gzip.decompress(Envelopes.seal(envelope, SECRET), 1 << 20), UTF_8);
    String forged = plain.replaceFirst("\"hmac\":\"[^\"]*\"", "\"hmac\":\"%%%\"");

    assertThatThrownBy(
            () ->
                Envelopes.open(
                    Gzip.compress(forged.getBytes(UTF_8)), HUB_SECRETS, "hub", ShipLimits.DEFAULT))
        .extracting(e -> ((ShipException) e).getReason())
        .isEqualTo(ShipException.Reason.BAD_SIGNATURE);
  }

  @Test
  void aHeaderThatIsNotJsonIsMalformed() {
    byte[] wire = Gzip.compress("hello\n{}".getBytes(UTF_8));

    assertThatThrownBy(() -> Envelopes.open(wire, HUB_SECRETS, "hub", ShipLimits.DEFAULT))
        .isInstanceOf(ShipException.class)
        .hasMessageStartingWith("malformed envelope header:")
        .extracting(e -> ((ShipException) e).getStatus())
        .isEqualTo(400);
  }

  @Test
  void aHeaderWithoutNewlineIsMalformed() {
    byte[] wire = Gzip.compress(new byte[5000]);

    assertThatThrownBy(() -> Envelopes.open(wire, HUB_SECRETS, "hub", ShipLimits.DEFAULT))
        .hasMessage("malformed envelope: no header line in the first 4096 bytes");
  }

  @Test
  void aSenderThatIsNotANodeIdIsMalformed() {
    byte[] wire =
        Gzip.compress("{\"v\":1,\"type\":\"batch\",\"sender\":\"../etc\"}\n".getBytes(UTF_8));

    assertThatThrownBy(() -> Envelopes.open(wire, HUB_SECRETS, "hub", ShipLimits.DEFAULT))
        .hasMessage(
            "malformed envelope: sender must be a node id (1 to 64 of a-z, 0-9, '-'), but was '../etc'");
  }

  @Test
  void anUnknownTypeIsMalformed() {
    byte[] wire = Gzip.compress("{\"v\":1,\"type\":\"exec\"}\n".getBytes(UTF_8));

    assertThatThrownBy(() -> Envelopes.open(wire, HUB_SECRETS, "hub", ShipLimits.DEFAULT))
        .hasMessage(
            "malformed envelope: type must be batch, pull, verify, load, rewind or reload, but was"
                + " 'exec'");
  }
}
