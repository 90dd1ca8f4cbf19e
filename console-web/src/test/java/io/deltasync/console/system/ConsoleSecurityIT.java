package io.deltasync.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.console.support.Browser;
import io.deltasync.console.support.SharedHub;
import io.deltasync.console.support.TestHub;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The console's security rules over real HTTP through the real filter chain, on a running hub with
 * users admin (ADMIN) and viewer (VIEWER); the hub is shared with the pages test, which performs no
 * action.
 */
@Tag("integration")
class ConsoleSecurityIT {

  private static final List<String> PAGES =
      List.of(
          "/",
          "/nodes",
          "/deltas",
          "/deltas/1",
          "/conflicts",
          "/conflicts/1",
          "/dead-letters",
          "/audit",
          "/actions/purge",
          "/actions/resend?peer=node-a",
          "/actions/shipping?peer=node-a&pause=true",
          "/actions/reload?node=node-a",
          "/actions/conflicts/1/resolve?decision=keep-hub",
          "/actions/dead-letters?ids=1&operation=retry",
          "/actuator/metrics");

  private static final List<String> API =
      List.of(
          "/api/nodes",
          "/api/deltas",
          "/api/deltas/1",
          "/api/conflicts",
          "/api/conflicts/1",
          "/api/dead-letters",
          "/api/dead-letters/1",
          "/api/audit",
          "/api/actions/purge",
          "/api/actions/reload?node=node-a");

  /** Every action: its form POST and its API POST. */
  private static final List<String> FORM_ACTIONS =
      List.of(
          "/actions/purge",
          "/actions/resend",
          "/actions/shipping",
          "/actions/reload",
          "/actions/reload-table",
          "/actions/reload-table/cancel",
          "/actions/conflicts/1/resolve",
          "/actions/dead-letters");

  private static final List<String> API_ACTIONS =
      List.of(
          "/api/actions/purge",
          "/api/actions/resend",
          "/api/actions/shipping",
          "/api/actions/reload",
          "/api/actions/reload-table",
          "/api/actions/reload-table/cancel",
          "/api/actions/conflicts/1/resolve",
          "/api/actions/dead-letters");

  private static TestHub hub;

  @BeforeAll
  static void startHub() {
    hub = SharedHub.get();
  }

  @Test
  void anonymousRequestsToEveryPageAreSentToTheLoginPage() {
    Browser anonymous = new Browser(hub.port());
    for (String page : PAGES) {
      HttpResponse<String> response = anonymous.get(page);
      assertThat(response.statusCode()).as(page).isEqualTo(302);
      assertThat(response.headers().firstValue("Location"))
          .as(page)
          .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
    }
  }

  @Test
  void anonymousPostsOfEveryActionFormAreSentToTheLoginPage() {
    Browser anonymous = new Browser(hub.port());
    for (String action : FORM_ACTIONS) {
      anonymous.get("/login"); // a CSRF token, so that only the missing login refuses the POST
      HttpResponse<String> response = anonymous.post(action, Map.of("table", "note"));
      assertThat(response.statusCode()).as(action).isEqualTo(302);
      assertThat(response.headers().firstValue("Location"))
          .as(action)
          .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
    }
    assertThat(TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM ds_audit")).isZero();
  }

  @Test
  void anonymousRequestsToEveryApiPathAnswer401() {
    Browser anonymous = new Browser(hub.port());
    for (String path : API) {
      assertThat(anonymous.get(path).statusCode()).as(path).isEqualTo(401);
    }
    for (String path : API_ACTIONS) {
      anonymous.get("/login");
      assertThat(anonymous.postJson(path, "{}").statusCode()).as(path).isEqualTo(401);
    }
  }

  @Test
  void theLoginPageAndTheHealthStatusArePublicButNotTheHealthDetails() {
    Browser anonymous = new Browser(hub.port());
    assertThat(anonymous.get("/login").body()).contains("id=\"login-form\"");
    HttpResponse<String> health = anonymous.get("/actuator/health");
    assertThat(health.statusCode()).isIn(200, 503);
    assertThat(health.body()).contains("\"status\"").doesNotContain("components");
  }

  @Test
  void aViewerSeesThePagesButGets403OnEveryActionFormAndApi() {
    Browser viewer = hub.viewer();
    assertThat(viewer.get("/nodes").statusCode()).isEqualTo(200);
    assertThat(viewer.get("/nodes").body())
        .contains("(viewer)")
        .doesNotContain("Re-send")
        .doesNotContain("id=\"reload-");
    for (String page : PAGES) {
      if (page.startsWith("/actions/")) {
        assertThat(viewer.get(page).statusCode()).as(page).isEqualTo(403);
      }
    }
    for (String path : API) {
      if (path.startsWith("/api/actions/")) {
        assertThat(viewer.get(path).statusCode()).as(path).isEqualTo(403);
      }
    }
    viewer.get("/nodes");
    for (String action : FORM_ACTIONS) {
      HttpResponse<String> response =
          viewer.post(
              action,
              Map.of(
                  "peer", "node-a", "node", "node-a", "fromSeq", "0", "pause", "true", "table",
                  "note"));
      assertThat(response.statusCode()).as(action).isEqualTo(403);
    }
    for (String action : API_ACTIONS) {
      assertThat(
              viewer
                  .postJson(
                      action,
                      "{\"peer\":\"node-a\",\"node\":\"node-a\",\"fromSeq\":0,\"table\":\"note\"}")
                  .statusCode())
          .as(action)
          .isEqualTo(403);
    }
    assertThat(TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM ds_audit")).isZero();
    assertThat(TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM ds_reload WHERE source_id = 'hub'"))
        .isZero();
    assertThat(TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM ds_table_reload")).isZero();
  }

  @Test
  void aPostWithoutTheCsrfTokenIsRefused() {
    Browser admin = hub.admin();
    HttpResponse<String> form = admin.postWithout("/actions/purge", Map.of("force", "true"));
    HttpResponse<String> api = admin.postJsonWithoutToken("/api/actions/purge", "{\"force\":true}");
    HttpResponse<String> login =
        new Browser(hub.port())
            .postWithout(
                "/login", Map.of("username", "admin", "password", hub.system().password()));

    assertThat(form.statusCode()).isEqualTo(403);
    assertThat(api.statusCode()).isEqualTo(403);
    assertThat(login.statusCode()).isEqualTo(403);
    assertThat(TestHub.count(hub.hubDb(), "SELECT COUNT(*) FROM ds_audit")).isZero();
  }

  @Test
  void aWrongPasswordShowsAnErrorAndNoData() {
    Browser intruder = new Browser(hub.port());
    HttpResponse<String> login = intruder.login("admin", "not-the-password");

    assertThat(login.headers().firstValue("Location"))
        .hasValueSatisfying(location -> assertThat(location).endsWith("/login?error"));
    HttpResponse<String> page = intruder.get("/login?error");
    assertThat(page.body()).contains("Wrong user name or password").doesNotContain("node-a");
    assertThat(intruder.get("/nodes").statusCode()).isEqualTo(302);
    assertThat(intruder.get("/api/nodes").statusCode()).isEqualTo(401);
  }

  @Test
  void theSessionIdChangesAtLoginAndLogoutEndsTheSession() {
    Browser admin = new Browser(hub.port());
    HttpResponse<String> before = admin.get("/login");
    HttpResponse<String> login = admin.login("admin", hub.system().password());

    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.headers().allValues("Set-Cookie"))
        .anySatisfy(cookie -> assertThat(cookie).startsWith("JSESSIONID="));
    assertThat(before.headers().allValues("Set-Cookie"))
        .noneMatch(cookie -> login.headers().allValues("Set-Cookie").contains(cookie));
    assertThat(admin.get("/nodes").statusCode()).isEqualTo(200);

    admin.post("/logout", Map.of());
    assertThat(admin.get("/nodes").statusCode()).isEqualTo(302);
  }

  @Test
  void pagesCarrySecureHeaders() {
    HttpResponse<String> page = hub.admin().get("/nodes");

    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
    assertThat(page.headers().firstValue("Cache-Control"))
        .hasValueSatisfying(cache -> assertThat(cache).contains("no-store"));
  }

  @Test
  void theSyncEndpointsNeedNeitherLoginNorCsrfButTheirOwnSignature() {
    Browser node = new Browser(hub.port());
    HttpResponse<String> response = node.postWithout("/deltasync/batches", Map.of("x", "y"));

    assertThat(response.statusCode()).isBetween(400, 499).isNotIn(401, 403);
    assertThat(response.headers().firstValue("Location")).isEmpty();
  }
}
