package io.deltasync.ship;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.ShipException.Reason;
import io.deltasync.ship.internal.Gzip;
import io.deltasync.ship.internal.Hmac;
import io.deltasync.ship.support.LogLines;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.store.NodePointers;
import io.deltasync.testing.Note;
import io.deltasync.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever arrives at the hub's HTTP endpoint that is not a good batch gets its own status and
 * message, is counted, and leaves the hub's data, deltas and pointers as they were.
 */
class HubEndpointBadInputIT {

  private static final String SECRET = "node-a-and-hub-share-this";
  private static final int MAX_DELTAS = 50;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static ShipNode hub;
  private static TestNode nodeA;

  private List<String> rowsBefore;
  private long deltasBefore;
  private List<NodePointers> pointersBefore;

  @BeforeAll
  static void startHub() {
    var db = TestDatabases.h2("bad_input_hub");
    Map<String, Object> properties = ShipNode.baseProperties("hub", db);
    properties.put("deltasync.ship.peers.node-a.secret", SECRET);
    properties.put("deltasync.ship.peers.node-b.secret", "node-b-and-hub-share-this");
    properties.put("deltasync.ship.max-batch-deltas", MAX_DELTAS);
    properties.put("deltasync.ship.max-envelope-bytes", 65_536);
    properties.put("deltasync.ship.max-batch-bytes", 1 << 20);
    properties.put("deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    hub = ShipNode.start("hub", db, properties);
    hub.writer().inTransaction(notes -> notes.insert(new Note(1, "already on the hub")));
    nodeA = TestNode.start("node-a", TestDatabases.h2("bad_input_node_a"));
    nodeA.inTransaction(
        notes -> {
          for (int i = 0; i < MAX_DELTAS + 1; i++) {
            notes.insert(new Note(100 + i, "from a " + i));
          }
          return null;
        });
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @BeforeEach
  void rememberTheHub() {
    rowsBefore = hub.dump();
    deltasBefore = hub.store().count();
    pointersBefore = hub.store().allPointers();
  }

  @AfterEach
  void theHubIsUnchanged() {
    assertThat(hub.dump()).isEqualTo(rowsBefore);
    assertThat(hub.store().count()).isEqualTo(deltasBefore);
    assertThat(hub.store().allPointers()).isEqualTo(pointersBefore);
  }

  @Test
  void anEmptyBodyIsMalformed() throws Exception {
    assertRefused(new byte[0], 400, Reason.MALFORMED, "empty body: expected a gzip-compressed");
  }

  @Test
  void anUnsignedEnvelopeIsRefused() throws Exception {
    byte[] wire =
        raw(
            "{\"v\":1,\"type\":\"batch\",\"sender\":\"node-a\",\"recipient\":\"hub\",\"id\":\"b-1\"}",
            batchPayload(3));

    assertRefused(
        wire, 401, Reason.UNSIGNED, "unsigned envelope from node-a: no hmac in the header");
  }

  @Test
  void anEnvelopeSignedWithTheWrongSecretIsRefused() throws Exception {
    DeltaBatch batch = batch(3);
    byte[] wire = seal(batch, "not-the-secret-node-a-has".getBytes(UTF_8));

    assertRefused(
        wire,
        401,
        Reason.BAD_SIGNATURE,
        "bad signature on envelope "
            + batch.batchId()
            + " from node-a: the secret differs, or the envelope was altered on the way");
  }

  @Test
  void anEnvelopeFromAnUnknownSenderIsRefused() throws Exception {
    byte[] payload = batchPayload(1);
    String header = signedHeader(1, "node-x", "b-2", payload, SECRET);

    assertRefused(
        raw(header, payload),
        401,
        Reason.UNKNOWN_SENDER,
        "unknown sender node-x: this node has no secret for it (deltasync.ship.peers.node-x.secret)");
  }

  @Test
  void aTamperedBodyIsRefused() throws Exception {
    DeltaBatch batch = batch(3);
    byte[] plain = Gzip.decompress(seal(batch, SECRET.getBytes(UTF_8)), 1 << 20);
    String text = new String(plain, UTF_8).replace("from a 1", "from X 1");
    assertThat(text).isNotEqualTo(new String(plain, UTF_8));

    assertRefused(
        Gzip.compress(text.getBytes(UTF_8)),
        401,
        Reason.BAD_SIGNATURE,
        "bad signature on envelope " + batch.batchId() + " from node-a");
  }

  @Test
  void truncatedGzipIsMalformed() throws Exception {
    byte[] wire = seal(batch(3), SECRET.getBytes(UTF_8));

    assertRefused(
        Arrays.copyOf(wire, wire.length / 2),
        400,
        Reason.MALFORMED,
        "malformed envelope: the gzip data is truncated");
  }

  @Test
  void bytesThatAreNotGzipAreMalformed() throws Exception {
    assertRefused(
        "{\"deltas\":[]}".getBytes(UTF_8),
        400,
        Reason.MALFORMED,
        "malformed envelope: not gzip data");
  }

  @Test
  void anAnonymousSenderCannotForgeALineInTheHubsLog() throws Exception {
    byte[] payload = batchPayload(1);
    String forged = "x\n2026-12-05 22:00:00.000 INFO  io.deltasync.ship - Applied batch";
    String header = signedHeader(1, "node-a", "b-9", payload, SECRET);

    try (LogLines log = LogLines.of("io.deltasync.ship.Receiving")) {
      assertRefused(
          raw(
              header.replace(
                  "\"type\":\"batch\"", "\"type\":\"" + forged.replace("\n", "\\n") + "\""),
              payload),
          400,
          Reason.MALFORMED,
          "malformed envelope: type must be batch, pull, verify, load, rewind or reload, but was"
              + " 'x\n2026-12-05");
      assertRefused(
          raw(header.replace("\"id\":\"b-9\"", "\"id\":\"b-9\\r\\nforged\""), payload),
          400,
          Reason.MALFORMED,
          "malformed envelope: id must be 1 to 64 visible ASCII characters (no space)");

      assertThat(log.all())
          .hasSize(2)
          .allSatisfy(line -> assertThat(line).startsWith("Refused a message").doesNotContain("\n"))
          .anySatisfy(
              line -> assertThat(line).contains("but was 'x\\n2026-12-05 22:00:00.000 INFO"));
    }
  }

  @Test
  void anotherFormatVersionIsRefused() throws Exception {
    byte[] payload = batchPayload(1);

    assertRefused(
        raw(signedHeader(2, "node-a", "b-3", payload, SECRET), payload),
        400,
        Reason.UNSUPPORTED_VERSION,
        "unsupported envelope format version 2; this node reads version 1");
  }

  @Test
  void aBatchWithMoreDeltasThanTheLimitIsRefused() throws Exception {
    DeltaBatch batch = batch(MAX_DELTAS + 1);

    assertRefused(
        seal(batch, SECRET.getBytes(UTF_8)),
        413,
        Reason.TOO_LARGE,
        "batch "
            + batch.batchId()
            + " from node-a holds 51 deltas, more than the 50 this node accepts"
            + " (deltasync.ship.max-batch-deltas)");
  }

  @Test
  void aBodyLargerThanTheLimitIsRefusedBeforeItIsRead() throws Exception {
    byte[] big = new byte[200_000];
    new java.util.Random(1).nextBytes(big);

    assertRefused(
        big,
        413,
        Reason.TOO_LARGE,
        "envelope is larger than the 65536 bytes this node accepts (deltasync.ship.max-envelope-bytes)");
  }

  @Test
  void aGzipBombIsStoppedWhileExpanding() throws Exception {
    byte[] bomb = Gzip.compress("{}".getBytes(), new byte[] {'\n'}, new byte[10 << 20]);
    assertThat(bomb.length).isLessThan(65_536);

    assertRefused(
        bomb,
        413,
        Reason.TOO_LARGE,
        "envelope expands to more than the 1048576 bytes this node accepts"
            + " (deltasync.ship.max-batch-bytes)");
  }

  @Test
  void aGzipBombWithoutAHeaderLineIsStoppedAtItsFirstKilobytes() throws Exception {
    byte[] bomb = Gzip.compress(new byte[10 << 20]);

    assertRefused(
        bomb, 400, Reason.MALFORMED, "malformed envelope: no header line in the first 4096 bytes");
  }

  @Test
  void aCorrectlySignedBatchWithDdlInsideIsRefusedWhole() throws Exception {
    List<Delta> deltas = new ArrayList<>(batch(2).deltas());
    Delta drop =
        new Delta(
            DeltaIds.next(),
            "node-a",
            3,
            DeltaIds.next(),
            1L << 16,
            0,
            "com.acme.Evil.drop",
            Kind.DELETE,
            null,
            null,
            "DROP TABLE note",
            List.of());
    deltas.add(drop);
    DeltaBatch batch = new DeltaBatch("node-a", DeltaIds.next(), deltas);

    assertRefused(
        seal(batch, SECRET.getBytes(UTF_8)),
        400,
        Reason.REFUSED_DELTA,
        "batch "
            + batch.batchId()
            + " from node-a refused: delta "
            + drop.id()
            + " (seq 3, com.acme.Evil.drop)");
    assertThat(hub.dump()).isNotEmpty(); // the note table is still there
  }

  @Test
  void anEnvelopeForAnotherNodeIsRefused() throws Exception {
    byte[] payload = batchPayload(1);

    assertRefused(
        raw(
            signedHeader(1, "node-a", "b-4", payload, SECRET).replace("\"hub\"", "\"node-b\""),
            payload),
        400,
        Reason.MISADDRESSED,
        "envelope from node-a is addressed to node-b, not to hub");
  }

  @Test
  void aPullRequestSentToTheInboxIsRefused() throws Exception {
    byte[] wire =
        Envelopes.seal(
            new Envelope(
                Envelope.Type.PULL, "node-a", "hub", "r-1", new PullRequest(0, 10).encode()),
            SECRET.getBytes(UTF_8));

    assertRefused(
        wire,
        400,
        Reason.MALFORMED,
        "expected a batch envelope, but node-a sent a pull; pull requests go to deltasync:feed");
  }

  @Test
  void aRewindSentToTheHttpInboxIsRefused() throws Exception {
    byte[] wire =
        Envelopes.seal(
            new Envelope(
                Envelope.Type.REWIND, "node-a", "hub", "r-1", new Rewind(0, "b-1", 10).encode()),
            SECRET.getBytes(UTF_8));

    assertRefused(
        wire,
        400,
        Reason.MALFORMED,
        "expected a batch envelope, but node-a sent a rewind; rewinds go to the inbox of a queue or"
            + " folder (deltasync:inbox?outOfOrder=rewind)");
  }

  private static void assertRefused(byte[] body, int status, Reason reason, String message)
      throws Exception {
    long refusedBefore = hub.counters().refused(reason);

    HttpResponse<String> response = post(body);

    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.body()).startsWith(message);
    assertThat(hub.counters().refused(reason)).isEqualTo(refusedBefore + 1);
  }

  private static HttpResponse<String> post(byte[] body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + hub.port() + "/deltasync/batches"))
            .header("Content-Type", Envelopes.CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static DeltaBatch batch(int deltas) {
    List<Delta> all = nodeA.node().store().pendingFor("hub", 0, 1000).deltas();
    return new DeltaBatch("node-a", DeltaIds.next(), all.subList(0, deltas));
  }

  private static byte[] batchPayload(int deltas) {
    return DeltaCodec.encodeBatch(batch(deltas));
  }

  private static byte[] seal(DeltaBatch batch, byte[] secret) {
    return Envelopes.seal(
        new Envelope(
            Envelope.Type.BATCH,
            batch.sender(),
            "hub",
            batch.batchId(),
            DeltaCodec.encodeBatch(batch)),
        secret);
  }

  /** A header signed the way Envelopes signs, with any version and sender. */
  private static String signedHeader(
      int version, String sender, String id, byte[] payload, String secret) {
    byte[] mac =
        Hmac.sha256(
            secret.getBytes(UTF_8),
            ("deltasync-envelope/1\nBATCH\n" + sender + "\nhub\n" + id + "\n").getBytes(UTF_8),
            payload);
    return "{\"v\":"
        + version
        + ",\"type\":\"batch\",\"sender\":\""
        + sender
        + "\",\"recipient\":\"hub\",\"id\":\""
        + id
        + "\",\"hmac\":\""
        + Base64.getEncoder().encodeToString(mac)
        + "\"}";
  }

  private static byte[] raw(String header, byte[] payload) {
    byte[] head = (header + "\n").getBytes(UTF_8);
    byte[] plain = Arrays.copyOf(head, head.length + payload.length);
    System.arraycopy(payload, 0, plain, head.length, payload.length);
    return Gzip.compress(plain);
  }
}
