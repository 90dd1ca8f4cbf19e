package io.deltasync.ship.verify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.Envelopes;
import io.deltasync.ship.HttpVerifyHub;
import io.deltasync.ship.VerifyJson;
import io.deltasync.ship.VerifyRequest;
import io.deltasync.ship.support.HttpPeer;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import io.deltasync.verify.CatchUp;
import io.deltasync.verify.RepairReport;
import io.deltasync.verify.TableReloadReport;
import io.deltasync.verify.Verifier;
import io.deltasync.verify.VerifyException;
import io.deltasync.verify.VerifyReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hub on PostgreSQL running the shipped {@code http-serve} routes as a Spring Boot application,
 * and clients on H2 and MariaDB that push, pull, verify and reload over real HTTP on loopback: rows
 * changed, deleted and inserted behind DeltaSync's back are found and repaired; a table a client
 * lost most of is reloaded page by page; a bad signature, an unsigned request and a table the hub
 * does not replicate are refused.
 */
class VerifyOverHttpIT {

  private static final String SECRET_A = "node-a-and-hub-verify";
  private static final String SECRET_B = "node-b-and-hub-verify";
  private static final String SECRET_C = "node-c-and-hub-verify";

  private static ShipNode hub;
  private static String url;

  @BeforeAll
  static void startHub() {
    TestDatabase db = TestDatabases.postgres("verify_http_hub");
    Map<String, Object> properties = ShipNode.baseProperties("hub", db);
    properties.put("deltasync.ship.peers.node-a.secret", SECRET_A);
    properties.put("deltasync.ship.peers.node-b.secret", SECRET_B);
    properties.put("deltasync.ship.peers.node-c.secret", SECRET_C);
    properties.put("deltasync.capture.exclude-tables", "audit_log");
    properties.put("deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    hub = ShipNode.start("hub", db, properties);
    url = "http://localhost:" + hub.port();
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void findsAndRepairsAChangedADeletedAndAnExtraRowOfAnH2ClientOverHttp() {
    findsAndRepairs(TestNode.start("node-a", TestDatabases.h2("verify-http-a")), SECRET_A, 1);
  }

  @Test
  void findsAndRepairsAChangedADeletedAndAnExtraRowOfAMariaDbClientOverHttp() {
    findsAndRepairs(
        TestNode.start("node-b", TestDatabases.mariadb("verify_http_b")), SECRET_B, 2_000_000);
  }

  @Test
  void aVerifyRequestWithABadSignatureIsRefused() {
    TestNode client = TestNode.start("node-a", TestDatabases.h2("verify-http-bad"));
    Verifier verifier =
        verifier(
            client, new HttpVerifyHub("hub", url, "node-a", "not-the-secret-node-a-and-hub-share"));

    assertThatThrownBy(() -> verifier.verify("note"))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("hub answered 401")
        .hasMessageContaining("bad signature");
  }

  @Test
  void aVerifyRequestFromANodeWithoutASecretIsRefused() {
    TestNode stranger = TestNode.start("node-x", TestDatabases.h2("verify-http-stranger"));
    Verifier verifier =
        verifier(stranger, new HttpVerifyHub("hub", url, "node-x", "node-x-invented-this-secret"));

    assertThatThrownBy(() -> verifier.verify("note"))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("hub answered 401")
        .hasMessageContaining("unknown sender node-x");
  }

  @Test
  void theHubRefusesATableItDoesNotReplicate() {
    TestNode client = TestNode.start("node-a", TestDatabases.h2("verify-http-excluded"));
    Verifier verifier = verifier(client, new HttpVerifyHub("hub", url, "node-a", SECRET_A));

    assertThatThrownBy(() -> verifier.verify("audit_log"))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("hub answered 400")
        .hasMessageContaining("table audit_log is not replicated");
    assertThatThrownBy(() -> verifier.reloadTable("audit_log"))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("hub answered 400")
        .hasMessageContaining("table audit_log is not replicated");
  }

  @Test
  void reloadsATableAClientLostMostOfOverHttpPageByPage() {
    TestNode client = TestNode.start("node-c", TestDatabases.h2("verify-http-reload"));
    HttpPeer peer = new HttpPeer("hub", url, "node-c", SECRET_C);
    new Workload(9L, 4_000_000L, false).run(client, 300);
    client.inTransaction(
        notes -> {
          for (long id = 4_500_000; id < 4_500_200; id++) {
            notes.insert(new Note(id, "note " + id));
          }
          return null;
        });
    client.node().sync(peer);
    List<String> hubNotes = NotesSchema.notes(hub.db().dataSource());
    assertThat(client.notes()).containsExactlyElementsOf(hubNotes).hasSizeGreaterThan(250);
    client.db().execute("DELETE FROM note WHERE MOD(id, 4) <> 0");
    client.db().execute("UPDATE note SET body = 'changed behind the back' WHERE MOD(id, 8) = 0");
    long missing = hubNotes.size() - client.notes().size();
    long changed =
        NotesSchema.count(
            client.db().dataSource(), "SELECT COUNT(*) FROM note WHERE MOD(id, 8) = 0");
    for (long extra = 4_900_001; extra <= 4_900_090; extra++) {
      client
          .db()
          .execute(
              "INSERT INTO note (id, title, done, amount) VALUES (" + extra + ", 'x', TRUE, 2)");
    }
    long deltas = client.deltaCount();
    Verifier verifier = verifier(client, new HttpVerifyHub("hub", url, "node-c", SECRET_C), peer);

    TableReloadReport reload = verifier.reloadTable("note");

    assertThat(reload.skipped()).isEmpty();
    assertThat(reload.written()).isEqualTo(missing + changed);
    assertThat(reload.deleted()).isEqualTo(90);
    assertThat(reload.reloadedRanges()).isGreaterThan(hubNotes.size() / 40);
    assertThat(VerifyJson.report(reload)).contains("\"complete\":true", "\"deleted\":90");
    assertThat(client.notes()).containsExactlyElementsOf(hubNotes);
    assertThat(client.deltaCount()).isEqualTo(deltas);
    assertThat(verifier.verify("note").inSync()).isTrue();
  }

  @Test
  void theHubSaysWhichKeysItHoldsAndRefusesAKeyThatIsNoKeyOfTheTable() {
    hub.db()
        .execute("INSERT INTO note (id, title, done, amount) VALUES (4950001, 'held', TRUE, 1)");
    HttpVerifyHub overHttp = new HttpVerifyHub("hub", url, "node-a", SECRET_A);
    try {
      assertThat(overHttp.held("node-a", "note", List.of(List.of("4950001"), List.of("4950002"))))
          .containsExactly(List.of("4950001"));
      assertThatThrownBy(() -> overHttp.held("node-a", "note", List.of(List.of("not-a-number"))))
          .isInstanceOf(VerifyException.class)
          .hasMessageContaining("hub answered 400")
          .hasMessageContaining("a key sent is no key of note");
    } finally {
      hub.db().execute("DELETE FROM note WHERE id = 4950001"); // the other tests compare notes
    }
  }

  @Test
  void aPageRequestSignedWithAWrongSecretOrUnsignedIsRefused() throws Exception {
    HttpVerifyHub forged = new HttpVerifyHub("hub", url, "node-a", "not-the-secret-of-node-a");
    String header =
        "{\"v\":1,\"type\":\"verify\",\"sender\":\"node-a\",\"recipient\":\"hub\",\"id\":\"v-1\"}\n";
    byte[] page = VerifyRequest.page("note", null, 10).encode();

    HttpResponse<String> unsigned = post(gzip(header + new String(page, UTF_8)));

    assertThatThrownBy(() -> forged.page("node-a", "note", null, 10))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("hub answered 401")
        .hasMessageContaining("bad signature");
    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertThat(unsigned.body()).startsWith("unsigned envelope from node-a");
  }

  private static void findsAndRepairs(TestNode client, String secret, long firstId) {
    String id = client.node().nodeId();
    HttpPeer peer = new HttpPeer("hub", url, id, secret);
    new Workload(firstId, firstId, false).run(client, 200);
    client.node().sync(peer);
    List<String> hubNotes = NotesSchema.notes(hub.db().dataSource());
    List<String> mine = client.notes().stream().filter(hubNotes::contains).toList();
    long changed = idOf(mine.get(mine.size() / 3));
    long deleted = idOf(mine.get(2 * mine.size() / 3));
    long extra = firstId + 900_000;
    client.db().execute("UPDATE note SET body = 'changed behind the back' WHERE id = " + changed);
    client.db().execute("DELETE FROM note WHERE id = " + deleted);
    client
        .db()
        .execute("INSERT INTO note (id, title, done, amount) VALUES (" + extra + ", 'x', TRUE, 2)");
    long deltas = client.deltaCount();
    Verifier verifier = verifier(client, new HttpVerifyHub("hub", url, id, secret), peer);

    VerifyReport report = verifier.verify("note");
    RepairReport repair = verifier.repair(report);

    assertThat(report.rows())
        .extracting(row -> row.kind() + " " + row.key().values().get("id"))
        .containsExactlyInAnyOrder("CHANGED " + changed, "MISSING " + deleted, "EXTRA " + extra);
    assertThat(VerifyJson.report(report))
        .contains(
            "\"inSync\":false",
            "{\"kind\":\"EXTRA\",\"table\":\"note\",\"key\":{\"id\":\"" + extra + "\"}}");
    assertThat(repair.written() + repair.deleted()).isEqualTo(3);
    assertThat(client.notes()).containsExactlyElementsOf(NotesSchema.notes(hub.db().dataSource()));
    assertThat(client.deltaCount()).isEqualTo(deltas);
    assertThat(verifier.verify("note").inSync()).isTrue();
  }

  private static Verifier verifier(TestNode client, HttpVerifyHub hubOverHttp) {
    return new Verifier(
        client.db().dataSource(),
        client.node().nodeId(),
        NameFilter.ALL,
        hubOverHttp,
        hubSeq -> {},
        40);
  }

  private static Verifier verifier(TestNode client, HttpVerifyHub hubOverHttp, HttpPeer peer) {
    return new Verifier(
        client.db().dataSource(),
        client.node().nodeId(),
        NameFilter.ALL,
        hubOverHttp,
        CatchUp.syncing(client.node(), peer, Duration.ofSeconds(30)),
        40);
  }

  private static HttpResponse<String> post(byte[] body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/deltasync/verify"))
            .header("Content-Type", Envelopes.CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(UTF_8));
    }
    return bytes.toByteArray();
  }

  private static long idOf(String noteLine) {
    return Long.parseLong(noteLine.substring(0, noteLine.indexOf('|')));
  }
}
