package io.deltasync.console.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.console.demo.DemoSystem;
import io.deltasync.console.support.Browser;
import io.deltasync.console.support.TestHub;
import io.deltasync.load.HubReloads;
import io.deltasync.load.TableReloadRequest;
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

/**
 * An admin of the H2 hub running the console asks client node-a to reload one table from the hub,
 * over real HTTP: "Reload this table only" on the reload preview of node-a (or the API) notes the
 * request in {@code ds_table_reload}, audits it ({@code RELOAD_PEER_TABLE}) and shows it due on the
 * Nodes page and in {@code /api/nodes}; asked again, it says so; an unknown table or peer is
 * refused naming it; a viewer gets 403; a failed request shows node-a's error (escaped) and the
 * admin withdraws requests ({@code CANCEL_RELOAD_PEER_TABLE}). node-a's pull route stays stopped,
 * so that the requests stay as the console left them.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerTableReloadActionIT {

  private static final String PULL = "deltasync-http-pull";

  private static TestHub hub;

  @BeforeAll
  static void startHub() throws Exception {
    hub = TestHub.start("peer_table_reload", DemoSystem.h2("peer_table_reload_hub"), 5966);
    hub.addNoteEverywhere(1);
    hub.system().a().getBean(CamelContext.class).getRouteController().stopRoute(PULL);
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  @Order(1)
  void theAdminAsksNodeAToReloadOneTableFromThePreviewAndSeesItDueOnTheNodesPageAndInTheApi() {
    Browser admin = hub.admin();

    String preview = admin.get("/actions/reload?node=node-a").body();
    HttpResponse<String> asked =
        admin.post("/actions/reload-table", Map.of("node", "node-a", "table", "note"));
    String nodes = admin.get("/nodes").body();
    String api = hub.viewer().get("/api/nodes").body();

    assertThat(preview)
        .containsPattern(
            "(?s)id=\"table-note\">.*?id=\"reload-table-note\".*?name=\"node\" value=\"node-a\""
                + ".*?name=\"table\" value=\"note\".*?Reload this table only")
        .contains("id=\"reload-table-todo\"", "aria-label=\"Reload table note of node-a only\"")
        .contains("it hears it at its next pull over HTTP");
    assertThat(asked.statusCode()).isEqualTo(302);
    assertThat(asked.headers().firstValue("Location"))
        .hasValueSatisfying(at -> assertThat(at).endsWith("/nodes"));
    assertThat(nodes)
        .contains("Asked node-a to reload table note from hub: it starts at its next pull")
        .containsPattern(
            "(?s)id=\"pointer-hub-node-a\".*?id=\"table-reload-node-a-note\".*?>note<"
                + ".*?admin \\(console\\).*?due: told at its next pull"
                + ".*?id=\"withdraw-table-reload-node-a-note\"");
    assertThat(api)
        .contains(
            "\"tableReloads\":[{\"peer\":\"node-a\",\"table\":\"note\",\"id\":\"" + id("note"),
            "\"requestedBy\":\"admin (console)\",\"failed\":false,\"error\":null");
    assertThat(requests()).containsExactly("node-a|note|DUE");
    assertThat(audit()).containsExactly("admin|RELOAD_PEER_TABLE|hub|node-a|table note|DONE");
  }

  @Test
  @Order(2)
  void askedAgainItSaysTheNodeWasAskedAlready() {
    Browser admin = hub.admin();
    admin.get("/actions/reload?node=node-a");

    admin.post("/actions/reload-table", Map.of("node", "node-a", "table", "note"));
    String nodes = admin.get("/nodes").body();
    HttpResponse<String> api =
        admin.postJson("/api/actions/reload-table", "{\"node\":\"node-a\",\"table\":\"Note\"}");

    assertThat(nodes)
        .contains("id=\"error\"")
        .contains("node-a was asked already to reload table note from hub");
    assertThat(api.statusCode()).isEqualTo(409);
    assertThat(api.body())
        .contains("\"done\":false,\"node\":\"node-a\",\"table\":\"note\"")
        .contains("node-a was asked already to reload table note from hub");
    assertThat(requests()).containsExactly("node-a|note|DUE");
    assertThat(audit())
        .endsWith(
            "admin|RELOAD_PEER_TABLE|hub|node-a|table note|REFUSED",
            "admin|RELOAD_PEER_TABLE|hub|node-a|table note|REFUSED");
  }

  @Test
  @Order(3)
  void anUnknownTableAnUnknownPeerAndABadIdAreRefusedNamingThem() {
    Browser admin = hub.admin();
    admin.get("/nodes");

    admin.post("/actions/reload-table", Map.of("node", "node-a", "table", "shelf"));
    String nodes = admin.get("/nodes").body();
    HttpResponse<String> table =
        admin.postJson("/api/actions/reload-table", "{\"node\":\"node-a\",\"table\":\"ds_audit\"}");
    HttpResponse<String> peer =
        admin.postJson("/api/actions/reload-table", "{\"node\":\"node-z\",\"table\":\"note\"}");
    HttpResponse<String> bad =
        admin.postJson("/api/actions/reload-table", "{\"node\":\"Node A\",\"table\":\"note\"}");

    assertThat(nodes)
        .contains("id=\"error\"")
        .contains(
            "Reload of table shelf of node-a refused: hub does not replicate a table shelf, so"
                + " node-a cannot reload it from there; the tables it replicates: note, todo");
    assertThat(table.statusCode()).isEqualTo(409);
    assertThat(table.body()).contains("hub does not replicate a table ds_audit");
    assertThat(peer.statusCode()).isEqualTo(409);
    assertThat(peer.body())
        .contains("Reload of table note of node-z refused: node-z is not a known peer of hub");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(requests()).containsExactly("node-a|note|DUE");
    assertThat(audit())
        .endsWith(
            "admin|RELOAD_PEER_TABLE|hub|node-a|table shelf|REFUSED",
            "admin|RELOAD_PEER_TABLE|hub|node-a|table ds_audit|REFUSED",
            "admin|RELOAD_PEER_TABLE|hub|node-z|table note|REFUSED");
  }

  @Test
  @Order(4)
  void aViewerSeesTheRequestButGets403OnAskingAndWithdrawingAndNothingIsWritten() {
    long audited = audit().size();
    Browser viewer = hub.viewer();
    String nodes = viewer.get("/nodes").body();

    HttpResponse<String> form =
        viewer.post("/actions/reload-table", Map.of("node", "node-a", "table", "todo"));
    HttpResponse<String> api =
        viewer.postJson("/api/actions/reload-table", "{\"node\":\"node-a\",\"table\":\"todo\"}");
    HttpResponse<String> cancel =
        viewer.post("/actions/reload-table/cancel", Map.of("node", "node-a", "table", "note"));
    HttpResponse<String> apiCancel =
        viewer.postJson(
            "/api/actions/reload-table/cancel", "{\"node\":\"node-a\",\"table\":\"note\"}");

    assertThat(nodes)
        .contains("id=\"table-reload-node-a-note\"", "due: told at its next pull")
        .doesNotContain("withdraw-table-reload-");
    assertThat(List.of(form, api, cancel, apiCancel))
        .extracting(HttpResponse::statusCode)
        .containsOnly(403);
    assertThat(requests()).containsExactly("node-a|note|DUE");
    assertThat(audit()).hasSize((int) audited);
  }

  @Test
  @Order(5)
  void aTableAskedByApiThatNodeAReportsFailedShowsItsErrorEscaped() {
    Browser admin = hub.admin();
    admin.get("/nodes");

    HttpResponse<String> api =
        admin.postJson("/api/actions/reload-table", "{\"node\":\"node-a\",\"table\":\"TODO\"}");
    // what node-a's report of a failed reload does at the hub
    hubReloads().tableReloadEnded("node-a", id("todo"), "<b>disk full</b> on node-a");
    String nodes = admin.get("/nodes").body();
    String json = admin.get("/api/nodes").body();

    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.body())
        .contains(
            "{\"done\":true,\"node\":\"node-a\",\"table\":\"todo\",\"message\":\"Asked node-a to"
                + " reload table todo from hub: it starts at its next pull\"}");
    assertThat(nodes)
        .containsPattern(
            "(?s)id=\"table-reload-node-a-todo\".*?failed: &lt;b&gt;disk full&lt;/b&gt; on node-a")
        .doesNotContain("<b>disk full");
    assertThat(json).contains("\"failed\":true,\"error\":\"<b>disk full</b> on node-a\"");
    assertThat(requests()).containsExactly("node-a|note|DUE", "node-a|todo|FAILED");
    assertThat(audit()).last().isEqualTo("admin|RELOAD_PEER_TABLE|hub|node-a|table todo|DONE");
  }

  @Test
  @Order(6)
  void theAdminWithdrawsTheFailedRequestOnTheNodesPageAndTheDueOneByApi() {
    Browser admin = hub.admin();
    admin.get("/nodes");

    HttpResponse<String> withdrawn =
        admin.post("/actions/reload-table/cancel", Map.of("node", "node-a", "table", "todo"));
    String nodes = admin.get("/nodes").body();
    HttpResponse<String> api =
        admin.postJson(
            "/api/actions/reload-table/cancel", "{\"node\":\"node-a\",\"table\":\"note\"}");
    HttpResponse<String> again =
        admin.postJson(
            "/api/actions/reload-table/cancel", "{\"node\":\"node-a\",\"table\":\"note\"}");
    String after = admin.get("/nodes").body();

    assertThat(withdrawn.statusCode()).isEqualTo(302);
    assertThat(nodes)
        .contains("Withdrew the reload of table todo asked of node-a: hub no longer tells it")
        .contains("id=\"table-reload-node-a-note\"")
        .doesNotContain("id=\"table-reload-node-a-todo\"");
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.body()).contains("\"done\":true", "Withdrew the reload of table note");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body())
        .contains("No reload of table note asked of node-a is due or failed: nothing to withdraw");
    assertThat(after).doesNotContain("id=\"table-reload-node-a-");
    assertThat(requests()).isEmpty();
    assertThat(audit())
        .endsWith(
            "admin|CANCEL_RELOAD_PEER_TABLE|hub|node-a|table todo|DONE",
            "admin|CANCEL_RELOAD_PEER_TABLE|hub|node-a|table note|DONE",
            "admin|CANCEL_RELOAD_PEER_TABLE|hub|node-a|table note|REFUSED");
  }

  private static HubReloads hubReloads() {
    return hub.system().hub().getBean(HubReloads.class);
  }

  /** The id of node-a's request of the table, as the hub holds it. */
  private static String id(String table) {
    return hubReloads().tableReloads().stream()
        .filter(request -> request.peer().equals("node-a") && request.table().equals(table))
        .map(TableReloadRequest::id)
        .findFirst()
        .orElseThrow();
  }

  /** The hub's table reload requests: node, table and state, in that order. */
  private static List<String> requests() {
    return hub.hubDb()
        .queryForList(
            "SELECT node_id || '|' || table_name || '|' || state FROM ds_table_reload"
                + " ORDER BY node_id, table_name",
            String.class);
  }

  /** The audit rows of table reloads asked of peers, oldest first. */
  private static List<String> audit() {
    return hub.hubDb()
        .queryForList(
            "SELECT username || '|' || action_name || '|' || node_id || '|' || peer_id || '|'"
                + " || target || '|' || outcome FROM ds_audit"
                + " WHERE action_name LIKE '%RELOAD_PEER_TABLE' ORDER BY audit_id",
            String.class);
  }
}
