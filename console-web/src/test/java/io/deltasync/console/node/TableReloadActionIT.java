package io.deltasync.console.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.console.ConsoleApplication;
import io.deltasync.console.demo.DemoMapper;
import io.deltasync.console.demo.DemoSystem;
import io.deltasync.console.support.Browser;
import io.deltasync.console.support.TestHub;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mybatis.spring.boot.autoconfigure.ConfigurationCustomizer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The console on a client ({@code mid}, pulling from the hub {@code top} over HTTP, both consoles
 * on H2 databases of their own) reloads one of its tables from its hub: rows missing, extra and
 * changed behind DeltaSync's back (plain JDBC) in {@code note} and {@code todo}; the admin's
 * "Reload this table only" on the reload preview of top makes {@code note} equal to top's in every
 * column, leaves {@code todo} as it was, and audits the numbers. A second reload of a table while
 * the first waits for the pull is refused, and the hub's write meanwhile reaches the table; a table
 * mid does not replicate, a viewer, and top's own console (no hub, so no Verifier) are refused; its
 * preview of mid offers to ask mid to reload a table instead ({@link PeerTableReloadActionIT}).
 */
@Tag("integration")
class TableReloadActionIT {

  private static final String SECRET = "top-and-mid-share-this-table-reload-secret";
  private static final String PASSWORD = "table-reload-admin-password";
  private static final String VIEWER_PASSWORD = "table-reload-viewer-password";
  private static final int NOTES = 20;

  private static ConfigurableApplicationContext top;
  private static ConfigurableApplicationContext mid;
  private static JdbcTemplate topDb;
  private static JdbcTemplate midDb;

  @BeforeAll
  static void startTopAndMid() {
    Map<String, Object> hub = base("top", "table_reload_top");
    hub.put("spring.liquibase.contexts", "hub");
    hub.put("deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    hub.put("deltasync.ship.peers.mid.secret", SECRET);
    top = run(hub);
    topDb = TestHub.db(top);
    for (long id = 1; id <= NOTES; id++) {
      topDb.update(
          "INSERT INTO note (id, title, body, updated_by) VALUES (?, ?, ?, 'top')",
          id,
          "note " + id,
          "body of note " + id);
    }
    for (long id = 1; id <= 5; id++) {
      topDb.update("INSERT INTO todo (id, title, done) VALUES (?, ?, FALSE)", id, "to-do " + id);
    }
    Map<String, Object> client = base("mid", "table_reload_mid");
    client.put("spring.liquibase.contexts", "client");
    client.put("deltasync.node.upstream", "top");
    client.put("deltasync.ship.upstream-url", "http://localhost:" + port(top));
    client.put("deltasync.ship.routes", "classpath:deltasync/examples/http-pull.camel.yaml");
    client.put("deltasync.ship.peers.top.secret", SECRET);
    client.put("deltasync.console.users.viewer.password", VIEWER_PASSWORD);
    client.put("deltasync.console.users.viewer.role", "VIEWER");
    mid = run(client);
    midDb = TestHub.db(mid);
    TestHub.await(
        "mid's initial load from top",
        () -> rows(midDb, "note").equals(rows(topDb, "note")) && rows(midDb, "todo").size() == 5);
  }

  @AfterAll
  static void stop() {
    if (mid != null) {
      mid.close();
    }
    if (top != null) {
      top.close();
    }
  }

  @Test
  void theAdminReloadsOneTableFromThePreviewAndOnlyThatTableTakesTheHubsRowsInEveryColumn() {
    midDb.update("DELETE FROM note WHERE id IN (2, 4, 6)");
    midDb.update("UPDATE note SET body = 'changed on mid', updated_by = 'mid' WHERE id IN (8, 9)");
    midDb.update("INSERT INTO note (id, title) VALUES (901, 'only on mid'), (902, 'only on mid')");
    midDb.update("UPDATE todo SET title = 'changed on mid', done = TRUE WHERE id = 1");
    midDb.update("DELETE FROM todo WHERE id = 2");
    List<Map<String, Object>> todos = rows(midDb, "todo");
    assertThat(rows(midDb, "note")).isNotEqualTo(rows(topDb, "note"));
    long before = lastAudit();
    Browser admin = admin(mid);

    String page = admin.get("/actions/reload?node=top").body();
    HttpResponse<String> started = admin.post("/actions/reload-table", Map.of("table", "note"));
    String after = admin.get("/actions/reload?node=top").body();
    awaitEnd(before);

    assertThat(page)
        .containsPattern(
            "(?s)id=\"table-note\">.*?id=\"reload-table-note\".*?name=\"table\" value=\"note\"")
        .contains("id=\"reload-table-todo\"", "aria-label=\"Reload table note only\"")
        .contains("id=\"per-table\"");
    assertThat(started.statusCode()).isEqualTo(302);
    assertThat(started.headers().firstValue("Location"))
        .hasValueSatisfying(at -> assertThat(at).endsWith("/actions/reload?node=top"));
    assertThat(after).contains("Reload of table note of mid from top started");
    assertThat(rows(midDb, "note")).isEqualTo(rows(topDb, "note"));
    assertThat(rows(midDb, "todo")).isEqualTo(todos).isNotEqualTo(rows(topDb, "todo"));
    assertThat(audit(before)).containsExactly("admin|mid|top|table note|7|DONE");
    assertThat(message(before))
        .startsWith(
            "Reloaded table note of mid from top: 5 rows written, 2 deleted;"
                + " key ranges: 1 reloaded, 0 skipped; caught up to seq ");
  }

  @Test
  void aSecondReloadOfATableIsRefusedWhileTheFirstWaitsForThePullAndTheHubsWriteMeanwhileArrives()
      throws Exception {
    CamelContext camel = mid.getBean(CamelContext.class);
    camel.getRouteController().stopRoute("deltasync-http-pull");
    long before = lastAudit();
    HttpResponse<String> first;
    HttpResponse<String> second;
    String page;
    try {
      DemoSystem.mapper(top).addNote(1001, "written at top during the reload", "top");
      midDb.update("DELETE FROM note WHERE id = 10");
      Browser admin = admin(mid);
      admin.get("/nodes");

      first = admin.postJson("/api/actions/reload-table", "{\"table\":\"note\"}");
      second = admin.postJson("/api/actions/reload-table", "{\"table\":\"note\"}");
      page = admin.get("/actions/reload?node=top").body();
    } finally {
      camel.getRouteController().startRoute("deltasync-http-pull");
    }
    awaitEnd(before);

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(first.body()).contains("\"started\":true", "\"table\":\"note\"");
    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(second.body())
        .contains("\"started\":false")
        .contains("a reload of table note from top is running already");
    assertThat(page).contains("id=\"reloading-note\"", "id=\"reload-table-todo\"");
    assertThat(page).doesNotContain("id=\"reload-table-note\"");
    assertThat(TestHub.count(midDb, "note", 1001)).isOne();
    assertThat(rows(midDb, "note")).isEqualTo(rows(topDb, "note"));
    assertThat(audit(before))
        .containsExactly("admin|mid|top|table note|0|REFUSED", "admin|mid|top|table note|1|DONE");
  }

  @Test
  void aTableMidDoesNotReplicateIsRefusedNamingItAndAViewerMayNotReloadOne() {
    long before = lastAudit();
    Browser admin = admin(mid);
    admin.get("/nodes");

    HttpResponse<String> api =
        admin.postJson("/api/actions/reload-table", "{\"table\":\"ds_audit\"}");
    HttpResponse<String> form = admin.post("/actions/reload-table", Map.of("table", "shelf"));
    String page = admin.get("/actions/reload?node=top").body();
    HttpResponse<String> blank = admin.postJson("/api/actions/reload-table", "{\"table\":\" \"}");
    Browser viewer = Browser.loggedIn(port(mid), "viewer", VIEWER_PASSWORD);
    viewer.get("/nodes");
    HttpResponse<String> viewerApi =
        viewer.postJson("/api/actions/reload-table", "{\"table\":\"note\"}");
    HttpResponse<String> viewerForm = viewer.post("/actions/reload-table", Map.of("table", "note"));

    assertThat(api.statusCode()).isEqualTo(400);
    assertThat(api.body())
        .contains(
            "Reload of table ds_audit refused: table ds_audit is not replicated by mid, so it"
                + " cannot be reloaded from top (it replicates note, todo)");
    assertThat(form.statusCode()).isEqualTo(302);
    assertThat(page).contains("id=\"error\"").contains("table shelf is not replicated by mid");
    assertThat(blank.statusCode()).isEqualTo(400);
    assertThat(viewerApi.statusCode()).isEqualTo(403);
    assertThat(viewerForm.statusCode()).isEqualTo(403);
    assertThat(audit(before))
        .containsExactly(
            "admin|mid|top|table ds_audit|0|REFUSED", "admin|mid|top|table shelf|0|REFUSED");
  }

  @Test
  void theHubsAdminAsksMidToReloadOneTableAndMidDoesAtItsNextPullWhileItKeepsPulling() {
    midDb.update("DELETE FROM note WHERE id IN (3, 5)");
    midDb.update("UPDATE note SET body = 'changed on mid, again' WHERE id = 7");
    midDb.update("INSERT INTO note (id, title) VALUES (903, 'only on mid')");
    midDb.update("UPDATE todo SET title = 'changed on mid too' WHERE id = 3");
    List<Map<String, Object>> todos = rows(midDb, "todo");
    Browser admin = admin(top);
    admin.get("/nodes");

    HttpResponse<String> asked =
        admin.post("/actions/reload-table", Map.of("node", "mid", "table", "note"));
    DemoSystem.mapper(top).addNote(1002, "written at top while mid reloads", "top");
    TestHub.await(
        "mid's report of its reload of note",
        () -> TestHub.count(topDb, "SELECT COUNT(*) FROM ds_table_reload") == 0);
    String nodes = admin.get("/nodes").body();

    assertThat(asked.statusCode()).isEqualTo(302);
    TestHub.await(
        "mid's note equal to top's", () -> rows(midDb, "note").equals(rows(topDb, "note")));
    assertThat(TestHub.count(midDb, "note", 1002)).as("pulled meanwhile").isOne();
    assertThat(TestHub.count(midDb, "note", 903)).as("a row top does not hold").isZero();
    assertThat(rows(midDb, "todo")).as("not asked for").isEqualTo(todos);
    assertThat(nodes).doesNotContain("due: told at its next pull");
    assertThat(
            TestHub.count(
                topDb,
                "SELECT COUNT(*) FROM ds_audit WHERE action_name = 'RELOAD_PEER_TABLE'"
                    + " AND outcome = 'DONE' AND peer_id = 'mid'"))
        .isOne();
  }

  @Test
  void theHubsOwnConsoleHasNoVerifierAndRefusesSayingWhy() {
    Browser admin = admin(top);
    String preview = admin.get("/actions/reload?node=mid").body();

    HttpResponse<String> api = admin.postJson("/api/actions/reload-table", "{\"table\":\"note\"}");
    HttpResponse<String> form = admin.post("/actions/reload-table", Map.of("table", "note"));
    String nodes = admin.get("/nodes").body();

    assertThat(preview)
        .contains("id=\"confirm-form\"")
        .contains("aria-label=\"Reload table note of mid only\"", "name=\"node\" value=\"mid\"")
        .doesNotContain("aria-label=\"Reload table note only\"");
    assertThat(api.statusCode()).isEqualTo(409);
    assertThat(api.body())
        .contains("Reload of table note refused: top is not a client of a hub (no Verifier");
    assertThat(form.statusCode()).isEqualTo(302);
    assertThat(form.headers().firstValue("Location"))
        .hasValueSatisfying(at -> assertThat(at).endsWith("/nodes"));
    assertThat(nodes).contains("id=\"error\"").contains("top is not a client of a hub");
    assertThat(
            TestHub.count(
                topDb,
                "SELECT COUNT(*) FROM ds_audit WHERE action_name = 'RELOAD_TABLE'"
                    + " AND outcome = 'REFUSED' AND peer_id IS NULL"))
        .isEqualTo(2);
  }

  /** Every row of the table, every column, in key order. */
  private static List<Map<String, Object>> rows(JdbcTemplate db, String table) {
    return db.queryForList("SELECT * FROM " + table + " ORDER BY id");
  }

  private static long lastAudit() {
    return TestHub.count(midDb, "SELECT COALESCE(MAX(audit_id), 0) FROM ds_audit");
  }

  /** Waits for the end of the table reload started after the audit entry. */
  private static void awaitEnd(long afterAudit) {
    TestHub.await(
        "the table reload's audit entry",
        () ->
            TestHub.count(
                    midDb,
                    "SELECT COUNT(*) FROM ds_audit WHERE action_name = 'RELOAD_TABLE'"
                        + " AND outcome IN ('DONE', 'FAILED') AND audit_id > "
                        + afterAudit)
                > 0);
  }

  /** The table reloads audited after the entry: user, node, peer, target, rows and outcome. */
  private static List<String> audit(long afterAudit) {
    return midDb.queryForList(
        "SELECT username || '|' || node_id || '|' || peer_id || '|' || target || '|'"
            + " || rows_affected || '|' || outcome FROM ds_audit"
            + " WHERE action_name = 'RELOAD_TABLE' AND audit_id > ? ORDER BY audit_id",
        String.class,
        afterAudit);
  }

  private static String message(long afterAudit) {
    return midDb.queryForObject(
        "SELECT message FROM ds_audit WHERE action_name = 'RELOAD_TABLE' AND outcome = 'DONE'"
            + " AND audit_id > ?",
        String.class,
        afterAudit);
  }

  private static Browser admin(ConfigurableApplicationContext console) {
    return Browser.loggedIn(port(console), "admin", PASSWORD);
  }

  private static int port(ConfigurableApplicationContext console) {
    return Integer.parseInt(console.getEnvironment().getProperty("local.server.port"));
  }

  private static Map<String, Object> base(String id, String database) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("server.port", 0);
    properties.put("spring.main.banner-mode", "off");
    properties.put("spring.datasource.url", DemoSystem.h2(database).get(0));
    properties.put("spring.datasource.username", "sa");
    properties.put("spring.liquibase.change-log", DemoSystem.CHANGELOG);
    properties.put("spring.artemis.embedded.enabled", "false");
    properties.put("camel.main.name", id);
    properties.put("camel.main.shutdown-timeout", "5");
    properties.put("deltasync.node.id", id);
    properties.put("deltasync.cluster.enabled", "false");
    properties.put("deltasync.console.users.admin.password", PASSWORD);
    properties.put("deltasync.console.users.admin.role", "ADMIN");
    return properties;
  }

  /**
   * Starts a console; its MyBatis also knows {@link DemoMapper}, so writes through it are captured.
   */
  private static ConfigurableApplicationContext run(Map<String, Object> properties) {
    String[] args =
        properties.entrySet().stream()
            .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
            .toArray(String[]::new);
    return new SpringApplicationBuilder(ConsoleApplication.class)
        .initializers(
            (GenericApplicationContext context) ->
                context.registerBean(
                    ConfigurationCustomizer.class,
                    () -> configuration -> configuration.addMapper(DemoMapper.class)))
        .run(args);
  }
}
