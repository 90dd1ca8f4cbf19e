package io.deltasync.ship.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.RowKey;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.Envelope;
import io.deltasync.ship.Envelopes;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.store.NodePointers;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A client that holds a valid pair secret (its envelopes pass the signature check) and sends
 * crafted deltas to a hub's real HTTP inbox. Each attempt must be refused, and afterwards the hub's
 * rows, its tables that are not replicated ({@code secret}, {@code audit_log}), its {@code ds_}
 * tables and a well-behaved client that pulls from it must be as they were. One subclass per
 * database the hub runs on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileClientSuite {

  private static final String ATTACKER = "node-a";
  private static final String VICTIM = "node-b";
  private static final String NEIGHBOUR = "node-c";
  private static final String HUB_ROW = "already on the hub";
  private static final long TIMEOUT_SECONDS = 2;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicLong SEQ = new AtomicLong();

  private ShipNode hub;
  private TestNode victim;
  private Map<String, List<String>> hubBefore;
  private List<String> victimBefore;

  /** A new, empty database for the hub. */
  abstract TestDatabase hubDatabase();

  @BeforeAll
  void startHub() throws SQLException {
    TestDatabase db = hubDatabase();
    Map<String, Object> properties = ShipNode.baseProperties("hub", db);
    for (String peer : List.of(ATTACKER, VICTIM, NEIGHBOUR)) {
      properties.put("deltasync.ship.peers." + peer + ".secret", secret(peer));
    }
    properties.put("deltasync.capture.include-tables", "note,ticket");
    properties.put("deltasync.node.statement-timeout", TIMEOUT_SECONDS + "s");
    properties.put("deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    hub = ShipNode.start("hub", db, properties);
    hub.writer().inTransaction(notes -> notes.insert(new Note(1, HUB_ROW)));
    plantSecrets(db);
    insertTickets(hub.writer().db().dataSource(), 400);
    victim = TestNode.start(VICTIM, TestDatabases.h2("hostile_victim"));
    plantSecrets(victim.db());
    victim.node().pull(hub.syncNode());
  }

  @AfterAll
  void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @BeforeEach
  void rememberTheHubAndTheVictim() {
    hubBefore = hubState();
    victimBefore = protectedRows(victim.db().dataSource());
  }

  @AfterEach
  void nothingOutsideTheReplicatedRowsChanged() {
    assertThat(hubState()).isEqualTo(hubBefore);
    victim.node().pull(hub.syncNode());
    assertThat(protectedRows(victim.db().dataSource())).isEqualTo(victimBefore);
    assertThat(victim.notes()).isEqualTo(hub.writer().notes());
  }

  @Test
  void aRowImageFromAClientIsRefused() throws Exception {
    Delta image =
        delta(
            "deltasync.rowImage",
            Kind.INSERT,
            "note",
            key(1),
            "INSERT INTO note (id, title, done, amount) VALUES (?, ?, ?, ?)",
            longParam(1),
            text("overwritten by a forged image"),
            new Param(ParamType.BOOLEAN, false),
            new Param(ParamType.DECIMAL, new java.math.BigDecimal("0")));

    assertRefused(image, "which this node accepts only from its upstream");
  }

  @Test
  void aRowImageDeclaringATableItsSqlDoesNotWriteIsRefused() throws Exception {
    String twoTables = "INSERT INTO note (id, title) VALUES (?, (SELECT max(title) FROM ticket))";
    for (String declared : List.of("secret", "ds_node_pointer", "audit_log")) {
      assertRefused(
          delta("deltasync.rowImage", Kind.INSERT, declared, key(1), twoTables, longParam(1)),
          "its declared table " + declared + " is not the table its SQL writes, note");
    }
  }

  @Test
  void aRowImageAimedAtTheHubsOwnTablesIsRefused() throws Exception {
    assertRefused(
        delta(
            "deltasync.rowImage",
            Kind.INSERT,
            "ds_node_pointer",
            null,
            "INSERT INTO ds_node_pointer (node_id, peer_id, last_pushed, last_processed)"
                + " VALUES (?, ?, ?, ?)",
            text("hub"),
            text(VICTIM),
            longParam(999_999),
            longParam(999_999)),
        "table ds_node_pointer is not replicated by this node");
  }

  @Test
  void aQuotedNameThatFoldsToAReplicatedTableIsRefused() throws Exception {
    assertRefused(
        delta(
            "deltasync.rowImage",
            Kind.INSERT,
            null,
            null,
            "INSERT INTO note (id, title) VALUES (?, (SELECT max(title) FROM \"t\u0131cket\"))",
            longParam(1)),
        "it has a quoted name that holds U+0131");
  }

  @Test
  void anUpdateDeclaringARowOfATableThatIsNotReplicatedIsRefused() throws Exception {
    assertRefused(
        delta(
            "test.NoteMapper.update",
            Kind.UPDATE,
            "secret",
            key(1),
            "UPDATE note SET title = ? WHERE id = ?",
            text("x"),
            longParam(1)),
        "its declared table secret is not the table its SQL writes, note");
  }

  @Test
  void aDeclaredRowKeyOtherThanTheRowTheSqlPinsIsRefused() throws Exception {
    assertRefused(
        delta(
            "test.NoteMapper.update",
            Kind.UPDATE,
            "note",
            key(2),
            "UPDATE note SET title = ? WHERE id = ?",
            text("x"),
            longParam(1)),
        "its declared rowKey {id=2} is not the row its SQL pins, {id=1}");
  }

  @Test
  void aDeclaredKindOtherThanTheSqlsIsRefused() throws Exception {
    assertRefused(
        delta(
            "test.NoteMapper.update",
            Kind.DELETE,
            "note",
            key(1),
            "UPDATE note SET title = ? WHERE id = ?",
            text("x"),
            longParam(1)),
        "it claims to be a DELETE but its SQL is an UPDATE");
  }

  @Test
  void anotherNodesOriginIsRefused() throws Exception {
    Delta spoofed =
        new Delta(
            DeltaIds.next(),
            VICTIM,
            SEQ.incrementAndGet(),
            DeltaIds.next(),
            System.currentTimeMillis() << 16,
            0,
            "test.NoteMapper.update",
            Kind.UPDATE,
            "note",
            key(1),
            "UPDATE note SET title = ? WHERE id = ?",
            List.of(text("in node-b's name"), longParam(1)));

    assertRefused(spoofed, "its origin node-b is not its sender node-a");
  }

  @Test
  void functionsThatReadTheSessionAreRefused() throws Exception {
    for (String niladic : List.of("current_user", "session_user", "user", "current_schema")) {
      assertRefused(
          update("UPDATE note SET title = " + niladic + " WHERE id = ?", longParam(1)),
          "function " + niladic + " is not allowed in replicated SQL");
    }
  }

  @Test
  void expressionsWhoseCostHasNoBoundAreRefused() throws Exception {
    assertRefused(
        update("UPDATE note SET title = lpad('x', 900000000, 'y') WHERE id = ?", longParam(1)),
        "function lpad is not allowed in replicated SQL");
    assertRefused(
        update("UPDATE note SET title = ? WHERE title REGEXP '(a+)+$'", text("x")),
        "regular expressions (REGEXP, RLIKE, SIMILAR TO, ~) are not applied");
    assertRefused(
        update(
            "UPDATE note SET title = ? WHERE "
                + String.join(" OR ", Collections.nCopies(5_000, "id = 1")),
            text("x")),
        "its SQL has 4999 AND / OR conditions, more than the 1000 a delta may have");
    assertRefused(
        update(
            "UPDATE note SET amount = " + "(".repeat(100) + "1" + ")".repeat(100) + " WHERE id = ?",
            longParam(1)),
        "its SQL nests parentheses 100 deep");
  }

  @Test
  void anErrorTheSenderIsToldNeverQuotesTheHubsRows() throws Exception {
    HttpResponse<String> response =
        post(
            ATTACKER,
            List.of(
                seenEverything(
                    update(
                        "UPDATE note SET amount = (SELECT max(title) FROM note) WHERE id = ?",
                        longParam(1)))));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("failed at hub (error ").doesNotContain(HUB_ROW);
  }

  @Test
  void aSlowDeltaCannotStallAnotherClient() throws Exception {
    Delta slow =
        seenEverything(
            update(
                "UPDATE note SET amount = (SELECT count(*) FROM ticket a, ticket b, ticket c,"
                    + " ticket d) WHERE id = ?",
                longParam(1)));
    long started = System.nanoTime();
    CompletableFuture<HttpResponse<String>> slowResponse =
        CompletableFuture.supplyAsync(() -> postQuietly(ATTACKER, List.of(slow)));
    Thread.sleep(300);
    long neighbourStarted = System.nanoTime();
    HttpResponse<String> neighbour = post(NEIGHBOUR, List.of(neighbourInsert()));
    long neighbourMillis = (System.nanoTime() - neighbourStarted) / 1_000_000;
    HttpResponse<String> attacker = slowResponse.get();
    long attackerMillis = (System.nanoTime() - started) / 1_000_000;

    System.out.printf(
        "%s hub, statement timeout %d s: the slow delta was cut after %d ms (%d); another"
            + " client's batch waited %d ms (%d)%n",
        hub.db().kind(),
        TIMEOUT_SECONDS,
        attackerMillis,
        attacker.statusCode(),
        neighbourMillis,
        neighbour.statusCode());
    assertThat(attacker.statusCode()).isEqualTo(503);
    assertThat(attacker.body()).contains("ran out of time (" + TIMEOUT_SECONDS + " s)");
    assertThat(neighbour.statusCode()).as(neighbour.body()).isEqualTo(200);
    hubBefore = hubState(); // the neighbour's row is a legitimate change
    assertThat(hub.writer().notes()).anyMatch(row -> row.contains("from a neighbour"));
  }

  private Delta neighbourInsert() {
    long id = 500 + SEQ.get();
    return new Delta(
        DeltaIds.next(),
        NEIGHBOUR,
        SEQ.incrementAndGet(),
        DeltaIds.next(),
        System.currentTimeMillis() << 16,
        0,
        "test.NoteMapper.insert",
        Kind.INSERT,
        "note",
        key(id),
        "INSERT INTO note (id, title, done, amount) VALUES (?, ?, ?, ?)",
        List.of(
            longParam(id),
            text("from a neighbour"),
            new Param(ParamType.BOOLEAN, false),
            new Param(ParamType.DECIMAL, new java.math.BigDecimal("1.00"))));
  }

  private void assertRefused(Delta delta, String reason) throws Exception {
    HttpResponse<String> response = post(ATTACKER, List.of(delta));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains(reason).contains("nothing of the batch was applied");
  }

  private HttpResponse<String> post(String sender, List<Delta> deltas) throws Exception {
    long after = hub.pointers(sender).lastProcessed();
    List<Delta> numbered = new ArrayList<>();
    for (Delta delta : deltas) {
      numbered.add(delta.withSeq(after + 1 + numbered.size()));
    }
    DeltaBatch batch =
        new DeltaBatch(sender, DeltaIds.next(), after, after + deltas.size(), numbered);
    byte[] wire =
        Envelopes.seal(
            new Envelope(
                Envelope.Type.BATCH, sender, "hub", batch.batchId(), DeltaCodec.encodeBatch(batch)),
            secret(sender).getBytes(UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + hub.port() + "/deltasync/batches"))
            .header("Content-Type", Envelopes.CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(wire))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postQuietly(String sender, List<Delta> deltas) {
    try {
      return post(sender, deltas);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The delta claiming to have seen everything the hub holds, so the hub runs it as it came rather
   * than trying it as a conflict (which would also cut it at the timeout, then keep the hub's row).
   */
  private static Delta seenEverything(Delta delta) {
    return delta.withBasis(1_000_000);
  }

  private static Delta update(String sql, Param... params) {
    return delta("test.NoteMapper.update", Kind.UPDATE, null, null, sql, params);
  }

  private static Delta delta(
      String statementId, Kind kind, String table, RowKey rowKey, String sql, Param... params) {
    return new Delta(
        DeltaIds.next(),
        ATTACKER,
        1,
        DeltaIds.next(),
        System.currentTimeMillis() << 16,
        0,
        statementId,
        kind,
        table,
        rowKey,
        sql,
        List.of(params));
  }

  private static RowKey key(long id) {
    return new RowKey(new TreeMap<>(Map.of("id", String.valueOf(id))));
  }

  private static Param longParam(long value) {
    return new Param(ParamType.LONG, value);
  }

  private static Param text(String value) {
    return new Param(ParamType.STRING, value);
  }

  private static String secret(String peer) {
    return peer + "-and-hub-share-this-secret";
  }

  private Map<String, List<String>> hubState() {
    DataSource hubData = hub.writer().db().dataSource();
    Map<String, List<String>> state = new TreeMap<>();
    state.put("note", hub.writer().notes());
    state.put("protected", protectedRows(hubData));
    state.put(
        "ds_node_pointer",
        hub.store().allPointers().stream()
            .filter(p -> p.lastPushed() > 0 || p.lastProcessed() > 0) // a new peer's row is 0, 0
            .map(NodePointers::toString)
            .sorted()
            .toList());
    state.put("ds_delta", List.of(String.valueOf(hub.store().count())));
    state.put(
        "ds_conflict",
        List.of(String.valueOf(NotesSchema.count(hubData, "SELECT COUNT(*) FROM ds_conflict"))));
    return state;
  }

  private static List<String> protectedRows(DataSource dataSource) {
    List<String> rows = new ArrayList<>();
    NotesSchema.query(
        dataSource,
        "SELECT id, s FROM secret ORDER BY id",
        row -> rows.add("secret " + row.getLong(1) + " " + row.getString(2)));
    NotesSchema.query(
        dataSource,
        "SELECT id, message FROM audit_log ORDER BY id",
        row -> rows.add("audit_log " + row.getLong(1) + " " + row.getString(2)));
    return rows;
  }

  private static void plantSecrets(TestDatabase db) {
    db.execute(
        "CREATE TABLE secret (id BIGINT PRIMARY KEY, s VARCHAR(100))",
        "INSERT INTO secret (id, s) VALUES (1, 'TOPSECRET')",
        "INSERT INTO audit_log (id, message) VALUES (1, 'audited')");
  }

  /** Rows for a cartesian product to be slow on; written directly, so never shipped. */
  private static void insertTickets(DataSource dataSource, int count) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO ticket (title) VALUES (?)")) {
      for (int i = 0; i < count; i++) {
        insert.setString(1, "ticket " + i);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }
}
