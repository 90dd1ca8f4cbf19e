package io.deltasync.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.conflict.ConflictOutcome;
import io.deltasync.conflict.ConflictRecord;
import io.deltasync.conflict.Resolution;
import io.deltasync.console.support.Browser;
import io.deltasync.console.support.TestHub;
import io.deltasync.node.SyncNode;
import io.deltasync.store.NodePointers;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The admin actions against a running hub and real databases, each performed through the console's
 * confirmation page and form, checked in the databases and in {@code ds_audit}. Subclasses choose
 * the hub's database; the clients run on H2.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
abstract class ConsoleActionsScenario {

  static TestHub hub;

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  @Order(1)
  void resendResetsThePointerAndShipsExactlyThePreviewedDeltasAgainLeavingThePeerUnchanged()
      throws Exception {
    for (long id = 1; id <= 6; id++) {
      long todo = id;
      hub.b().addTodo(todo, "Resend " + todo, LocalDateTime.now());
      TestHub.await(
          "to-do " + todo + " on node-a",
          () -> TestHub.count(TestHub.db(hub.system().a()), "todo", todo) == 1);
    }
    CamelContext a = hub.system().a().getBean(CamelContext.class);
    a.getRouteController().stopRoute("deltasync-http-pull");
    a.getRouteController().stopRoute("deltasync-http-push");
    // a pull the hub still holds for node-a (long poll) is answered by the resend's wake-up, which
    // must not move the pointer again; a pull answered just before the stop may: let it settle
    long settled;
    do {
      settled = hub.hubNode().store().pointers("node-a").lastPushed();
      Thread.sleep(500);
    } while (settled != hub.hubNode().store().pointers("node-a").lastPushed());
    try {
      List<String> before = todos(hub.system().a());
      long from = hub.hubNode().store().pointers("node-a").lastPushed() - 4;
      Browser admin = hub.admin();

      String preview = admin.get("/actions/resend?peer=node-a&fromSeq=" + from).body();
      long previewed = number(preview, "id=\"resend-count\">(\\d+)<");
      HttpResponse<String> done =
          admin.post("/actions/resend", Map.of("peer", "node-a", "fromSeq", "" + from));

      assertThat(done.statusCode()).isEqualTo(302);
      assertThat(hub.hubNode().store().pointers("node-a").lastPushed()).isEqualTo(from);
      SyncNode nodeA = hub.system().a().getBean(SyncNode.class);
      int shipped = hub.hubNode().push(nodeA);
      assertThat(previewed).isPositive();
      assertThat(shipped).isEqualTo(previewed);
      assertThat(todos(hub.system().a())).isEqualTo(before);
      assertThat(
              TestHub.count(
                  TestHub.db(hub.system().a()),
                  "SELECT COUNT(*) - COUNT(DISTINCT delta_id) FROM ds_delta"))
          .isZero();
      assertAudited("RESEND", "node-a", previewed, false, "DONE");
    } finally {
      a.getRouteController().startRoute("deltasync-http-push");
      a.getRouteController().startRoute("deltasync-http-pull");
    }
  }

  @Test
  @Order(2)
  void resolvingAConflictFromThePageGivesTheSameRowsOnAllNodesAsConflictsResolve()
      throws Exception {
    hub.addNoteEverywhere(1);
    hub.addNoteEverywhere(2);
    long fromPage = hub.conflictOnNote(1);
    long fromApi = hub.conflictOnNote(2);
    Browser admin = hub.admin();

    admin.get(
        "/actions/conflicts/"
            + fromPage
            + "/resolve?decision=custom&col.body=decided&col.updated_by=admin");
    HttpResponse<String> done =
        admin.post(
            "/actions/conflicts/" + fromPage + "/resolve",
            Map.of("decision", "custom", "col.body", "decided", "col.updated_by", "admin"));
    ConflictRecord direct = hub.conflicts().find(fromApi).orElseThrow();
    hub.conflicts()
        .resolve(
            fromApi,
            Resolution.row(
                direct.hubRow().withText("body", "decided").withText("updated_by", "admin")),
            "test");

    assertThat(done.statusCode()).isEqualTo(302);
    ConflictRecord resolved = hub.conflicts().find(fromPage).orElseThrow();
    assertThat(resolved.outcome()).isEqualTo(ConflictOutcome.CUSTOM_ROW);
    assertThat(resolved.resolvedBy()).isEqualTo("admin");
    String expected = "decided|admin";
    for (ConfigurableApplicationContext node :
        List.of(hub.system().hub(), hub.system().a(), hub.system().b())) {
      TestHub.await(
          "the resolved notes on " + node.getId(),
          () -> note(node, 1).equals(expected) && note(node, 2).equals(expected));
    }
    assertAudited("RESOLVE_CONFLICT", "node-b", 1, false, "DONE");
  }

  @Test
  @Order(3)
  void purgeRemovesExactlyWhatEveryPeerAcknowledgedAndNothingAPeerStillNeeds() throws Exception {
    CamelContext b = hub.system().b().getBean(CamelContext.class);
    b.getRouteController().stopRoute("deltasync-http-pull");
    for (long id = 100; id < 105; id++) {
      hub.a().addTodo(id, "B has not seen " + id, LocalDateTime.now());
    }
    TestHub.await("the hub has the new to-dos", () -> TestHub.count(hub.hubDb(), "todo", 104) == 1);
    long neededByB = hub.hubNode().store().pointers("node-b").lastPushed();
    List<Long> pendingForB = seqsAbove(neededByB);
    Browser admin = hub.admin();

    String preview = admin.get("/actions/purge").body();
    long previewed = number(preview, "id=\"purge-count\">(\\d+)<");
    long upTo = number(preview, "id=\"purge-up-to\">(\\d+)<");
    long before = TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM ds_delta");
    admin.post("/actions/purge", Map.of("olderThan", "", "upToSeq", "" + upTo));

    assertThat(upTo).isLessThanOrEqualTo(neededByB);
    for (NodePointers pointer : hub.hubNode().store().allPointers()) {
      assertThat(upTo).isLessThanOrEqualTo(pointer.lastPushed());
    }
    assertThat(TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM ds_delta WHERE seq <= " + upTo))
        .isZero();
    assertThat(seqsAbove(neededByB)).containsAll(pendingForB);
    assertThat(before - TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM ds_delta"))
        .isEqualTo(previewed);
    assertAudited("PURGE", null, previewed, false, "DONE");
  }

  @Test
  @Order(4)
  void purgingWhatAPeerStillNeedsIsRefusedUnlessForcedAndTheForcedPurgeIsAudited()
      throws Exception {
    String olderThan = Instant.now().plusSeconds(60).toString();
    Browser admin = hub.admin();

    String preview = admin.get("/actions/purge?olderThan=" + olderThan).body();
    assertThat(preview).contains("id=\"needed-node-b\"").contains("id=\"force\"");
    long previewed = number(preview, "id=\"purge-count\">(\\d+)<");
    long before = TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM ds_delta");

    admin.post("/actions/purge", Map.of("olderThan", olderThan));
    assertThat(TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM ds_delta")).isEqualTo(before);
    assertAudited("PURGE", null, 0, false, "REFUSED");

    admin.get("/actions/purge?olderThan=" + olderThan);
    admin.post(
        "/actions/purge",
        Map.of("olderThan", olderThan, "force", "true", "upToSeq", "" + upToSeq(preview)));
    assertThat(TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM ds_delta"))
        .isEqualTo(before - previewed);
    assertAudited("PURGE", null, previewed, true, "DONE");
    hub.system()
        .b()
        .getBean(CamelContext.class)
        .getRouteController()
        .startRoute("deltasync-http-pull");
  }

  @Test
  @Order(5)
  void pausingShippingToAPeerThatPullsHoldsTheFeedUntilResumedAndIsAudited() throws Exception {
    Browser admin = hub.admin();
    assertThat(admin.get("/actions/shipping?peer=node-a&pause=true").body())
        .contains("id=\"routes\">the feed it pulls from<");

    admin.post("/actions/shipping", Map.of("peer", "node-a", "pause", "true"));
    hub.b().addTodo(500, "held for node-a", LocalDateTime.now());
    TestHub.await("node-b's to-do at the hub", () -> TestHub.count(hub.hubDb(), "todo", 500) == 1);
    Thread.sleep(3_000); // several pull intervals of node-a
    assertThat(TestHub.count(TestHub.db(hub.system().a()), "todo", 500)).isZero();
    assertAudited("PAUSE_SHIPPING", "node-a", 1, false, "DONE");

    HttpResponse<String> api =
        admin.postJson("/api/actions/shipping", "{\"peer\":\"node-a\",\"pause\":false}");
    assertThat(api.statusCode()).isEqualTo(200);
    TestHub.await(
        "the held to-do on node-a after resume",
        () -> TestHub.count(TestHub.db(hub.system().a()), "todo", 500) == 1);
    assertAudited("RESUME_SHIPPING", "node-a", 1, false, "DONE");
  }

  @Test
  @Order(6)
  void retryingAFailedDeadLetterTriesItAndItAppliesOnceWithItsBatchAndTheStreamGoesOn() {
    long id = hub.deadLetter(9_001);
    hub.hubDb().execute("ALTER TABLE todo DROP CONSTRAINT ck_todo_hub");
    Browser admin = hub.admin();

    assertThat(admin.get("/actions/dead-letters?operation=retry&ids=" + id).body())
        .contains("id=\"selected-" + id + "\"");
    admin.post("/actions/dead-letters", Map.of("operation", "retry", "ids", "" + id));
    assertAudited("RETRY_DEAD_LETTER", "node-a", 0, false, "TRIED");

    TestHub.await(
        "the retried to-do at the hub", () -> TestHub.count(hub.hubDb(), "todo", 9_001) == 1);
    hub.a().addTodo(9_002, "after the retry", LocalDateTime.now());
    TestHub.await(
        "node-a's next to-do at the hub", () -> TestHub.count(hub.hubDb(), "todo", 9_002) == 1);
    assertThat(TestHub.count(hub.hubDb(), "todo", 9_001)).isEqualTo(1);
    assertThat(
            TestHub.count(
                hub.hubDb(), "SELECT COUNT(*) FROM ds_dead_letter WHERE status = 'FAILED'"))
        .isZero();
  }

  @Test
  @Order(7)
  void skippingADeadLetterMovesTheSendersStreamOnWithoutApplyingIt() {
    // the retried to-do would violate the constraint put back; the hub's copy is not needed now
    hub.hubDb().execute("DELETE FROM todo WHERE id = 9001");
    hub.hubDb()
        .execute(
            "ALTER TABLE todo ADD CONSTRAINT ck_todo_hub"
                + " CHECK (title NOT LIKE '%(refused by the hub)%')");
    long id = hub.deadLetter(9_003);
    Browser admin = hub.admin();

    admin.get("/actions/dead-letters?operation=skip&ids=" + id);
    admin.post("/actions/dead-letters", Map.of("operation", "skip", "ids", "" + id));
    hub.a().addTodo(9_004, "after the skip", LocalDateTime.now());

    TestHub.await(
        "node-a's next to-do at the hub", () -> TestHub.count(hub.hubDb(), "todo", 9_004) == 1);
    assertThat(TestHub.count(hub.hubDb(), "todo", 9_003)).isZero();
    assertAudited("SKIP_DEAD_LETTER", "node-a", 1, false, "DONE");
  }

  /** The newest audit row is the action, as expected. */
  static void assertAudited(String action, String peer, long rows, boolean forced, String outcome) {
    Map<String, Object> row =
        hub.hubDb()
            .queryForMap(
                "SELECT username, action_name, node_id, peer_id, rows_affected, forced, outcome,"
                    + " performed_at FROM ds_audit ORDER BY audit_id DESC LIMIT 1");
    assertThat(row.get("USERNAME") != null ? row.get("USERNAME") : row.get("username"))
        .isEqualTo("admin");
    Map<String, Object> lower = new java.util.HashMap<>();
    row.forEach((key, value) -> lower.put(key.toLowerCase(java.util.Locale.ROOT), value));
    assertThat(lower.get("action_name")).isEqualTo(action);
    assertThat(lower.get("node_id")).isEqualTo("hub");
    assertThat(lower.get("peer_id")).isEqualTo(peer);
    assertThat(((Number) lower.get("rows_affected")).longValue()).isEqualTo(rows);
    assertThat(lower.get("forced")).isEqualTo(forced);
    assertThat(lower.get("outcome")).isEqualTo(outcome);
    assertThat(lower.get("performed_at")).isNotNull();
  }

  private static long upToSeq(String preview) {
    return number(preview, "id=\"purge-up-to\">(\\d+)<");
  }

  static long number(String page, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(page);
    assertThat(matcher.find()).as("%s in the page", regex).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  private static List<Long> seqsAbove(long seq) {
    return hub.hubDb()
        .queryForList("SELECT seq FROM ds_delta WHERE seq > ? ORDER BY seq", Long.class, seq);
  }

  private static List<String> todos(ConfigurableApplicationContext node) {
    return TestHub.db(node)
        .queryForList(
            "SELECT id || '|' || title || '|' || done FROM todo ORDER BY id", String.class);
  }

  private static String note(ConfigurableApplicationContext node, long id) {
    JdbcTemplate db = TestHub.db(node);
    return db
        .queryForList("SELECT body || '|' || updated_by FROM note WHERE id = ?", String.class, id)
        .stream()
        .findFirst()
        .orElse("(none)");
  }
}
