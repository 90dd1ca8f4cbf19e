package io.deltasync.console.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.console.demo.DemoSystem;
import io.deltasync.console.support.Browser;
import io.deltasync.console.support.TestHub;
import io.deltasync.store.NodePointers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An admin reloads client node-a from the H2 hub running the console, over real HTTP: the
 * confirmation page and the API preview the hub's rows per table; the POST makes the hub refuse
 * node-a's pulls (shown on the Nodes page while node-a's pull route is stopped), node-a then
 * reloads by itself and ends with the hub's rows (a row only it held is gone, one only the hub held
 * arrived), and each request is audited; the hub itself, an unknown node and a bad id are refused.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReloadActionIT {

  private static TestHub hub;

  @BeforeAll
  static void startHub() {
    hub = TestHub.start("reload_h2", DemoSystem.h2("reload_h2_hub"), 5965);
    hub.addTodoEverywhere(1, "seen by all");
    hub.addNoteEverywhere(1);
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  @Order(1)
  void thePageAndTheApiPreviewTheNodeItsPointersAndTheHubsRowsPerTable() {
    Browser admin = hub.admin();
    long todos = TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM todo");
    long notes = TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM note");
    NodePointers pointers = hub.hubNode().store().pointers("node-a");

    String page = admin.get("/actions/reload?node=node-a").body();
    String api = admin.get("/api/actions/reload?node=node-a").body();

    assertThat(page)
        .contains("id=\"node\">node-a<")
        .contains("id=\"source\">hub<")
        .contains("id=\"last-pushed\">" + pointers.lastPushed() + "<")
        .contains("id=\"last-processed\">" + pointers.lastProcessed() + "<")
        .contains("the writes it has not pushed yet are kept")
        .containsPattern("id=\"table-todo\">\\s*<td>todo</td>\\s*<td class=\"table-rows\">" + todos)
        .containsPattern("id=\"table-note\">\\s*<td>note</td>\\s*<td class=\"table-rows\">" + notes)
        .contains("id=\"total-rows\">" + (todos + notes) + "<")
        .contains("id=\"confirm-form\"");
    assertThat(api)
        .contains("\"node\":\"node-a\"", "\"source\":\"hub\"", "\"local\":false")
        .contains("\"rows\":{\"note\":" + notes + ",\"todo\":" + todos + "}")
        .contains("\"totalRows\":" + (todos + notes));
    assertThat(todos).isPositive();
  }

  @Test
  @Order(2)
  void aReloadAskedOnThePageIsShownDueThenTheClientReloadsTheHubsRowsAndItIsAudited()
      throws Exception {
    JdbcTemplate nodeA = TestHub.db(hub.system().a());
    // plain JDBC: neither write is captured, so no delta brings node-a and the hub together
    nodeA.update("INSERT INTO todo (id, title, done) VALUES (7001, 'only on node-a', FALSE)");
    hub.hubDb()
        .update("INSERT INTO todo (id, title, done) VALUES (7002, 'only on the hub', FALSE)");
    String loadBefore = nodeA.queryForObject("SELECT MAX(load_id) FROM ds_load", String.class);
    CamelContext camel = hub.system().a().getBean(CamelContext.class);
    camel.getRouteController().stopRoute("deltasync-http-pull");
    try {
      Browser admin = hub.admin();
      admin.get("/actions/reload?node=node-a");
      HttpResponse<String> done = admin.post("/actions/reload", Map.of("node", "node-a"));

      assertThat(done.statusCode()).isEqualTo(302);
      assertThat(done.headers().firstValue("Location"))
          .hasValueSatisfying(location -> assertThat(location).endsWith("/nodes"));
      assertThat(admin.get("/nodes").body())
          .contains("id=\"message\"")
          .contains("Reload of node-a requested: hub refuses its pulls until it has reloaded")
          .containsPattern(
              "(?s)id=\"pointer-hub-node-a\".*?load-RELOAD_DUE.*?requested by admin \\(console\\)");
      assertThat(hub.viewer().get("/api/nodes").body())
          .contains("\"reload\":{\"state\":\"RELOAD_DUE\",\"reason\":\"reload of node-a from hub");
      assertThat(
              hub.hubDb()
                  .queryForObject(
                      "SELECT state FROM ds_reload WHERE node_id = 'node-a' AND source_id = 'hub'",
                      String.class))
          .isEqualTo("DUE");
      HttpResponse<String> again = admin.postJson("/api/actions/reload", "{\"node\":\"node-a\"}");
      assertThat(again.statusCode()).isEqualTo(409);
      assertThat(again.body()).contains("A reload of node-a from hub is due already");
    } finally {
      camel.getRouteController().startRoute("deltasync-http-pull");
    }

    TestHub.await(
        "node-a reloaded: the hub's to-do there, its own gone",
        () -> TestHub.count(nodeA, "todo", 7002) == 1 && TestHub.count(nodeA, "todo", 7001) == 0);
    TestHub.await(
        "the hub serving node-a again",
        () -> TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM ds_reload") == 0);
    assertThat(nodeA.queryForObject("SELECT MAX(load_id) FROM ds_load", String.class))
        .isNotEqualTo(loadBefore);
    for (String table : List.of("todo", "note")) {
      String rows = "SELECT id || '|' || title FROM " + table + " ORDER BY id";
      assertThat(nodeA.queryForList(rows, String.class))
          .as(table)
          .isEqualTo(hub.hubDb().queryForList(rows, String.class));
    }
    assertThat(audit())
        .startsWith("RELOAD|node-a|0|REFUSED", "RELOAD|node-a|" + rowsAt(hub.hubDb()) + "|DONE");
  }

  @Test
  @Order(3)
  void theHubItselfAnUnknownNodeAndABadIdAreRefusedNamingThem() {
    Browser admin = hub.admin();
    admin.get("/nodes"); // the session's CSRF token

    HttpResponse<String> unknown = admin.postJson("/api/actions/reload", "{\"node\":\"node-z\"}");
    HttpResponse<String> itself = admin.postJson("/api/actions/reload", "{\"node\":\"hub\"}");
    HttpResponse<String> preview = admin.get("/api/actions/reload?node=node-z");
    String page = admin.get("/actions/reload?node=node-z").body();
    HttpResponse<String> bad = admin.postJson("/api/actions/reload", "{\"node\":\"Node A\"}");

    assertThat(unknown.statusCode()).isEqualTo(409);
    assertThat(unknown.body()).contains("node-z is not a known peer of hub");
    assertThat(itself.statusCode()).isEqualTo(409);
    assertThat(itself.body()).contains("hub cannot reload from itself");
    assertThat(preview.statusCode()).isEqualTo(409);
    assertThat(page)
        .contains("id=\"error\"")
        .contains("node-z is not a known peer of hub")
        .doesNotContain("id=\"confirm-form\"");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(audit()).startsWith("RELOAD|hub|0|REFUSED", "RELOAD|node-z|0|REFUSED");
    assertThat(TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM ds_reload")).isZero();
  }

  /** The audit rows of reloads, newest first: action, peer, rows, outcome; all by admin. */
  private static List<String> audit() {
    assertThat(
            TestHub.count(
                hub.hubDb(),
                "SELECT COUNT(*) FROM ds_audit WHERE action_name = 'RELOAD'"
                    + " AND (username <> 'admin' OR node_id <> 'hub')"))
        .isZero();
    return hub.hubDb()
        .queryForList(
            "SELECT action_name || '|' || peer_id || '|' || rows_affected || '|' || outcome"
                + " FROM ds_audit WHERE action_name = 'RELOAD' ORDER BY audit_id DESC",
            String.class);
  }

  private static long rowsAt(JdbcTemplate db) {
    return TestHub.count(db, "SELECT (SELECT COUNT(*) FROM todo) + (SELECT COUNT(*) FROM note)");
  }
}
