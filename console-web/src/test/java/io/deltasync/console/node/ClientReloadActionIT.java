package io.deltasync.console.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.console.ConsoleApplication;
import io.deltasync.console.demo.DemoSystem;
import io.deltasync.console.support.Browser;
import io.deltasync.load.Loader;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The console on a node that loads from a hub of its own ({@code mid}, client of {@code top}, with
 * {@code deltasync.load.reload=manual}; no pull route runs, so nothing reloads it here): when top
 * said mid must reload, the Nodes page shows it held with the reason; the admin's Reload of top
 * previews mid's own rows and releases the held reload through mid's {@link Loader}: its {@code
 * ds_reload} row becomes {@code DUE}, the page shows it due, and the action is audited.
 */
@Tag("integration")
class ClientReloadActionIT {

  private static final String PASSWORD = "mid-admin-password";

  private static ConfigurableApplicationContext mid;
  private static JdbcTemplate db;

  @BeforeAll
  static void startMid() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("server.port", 0);
    properties.put("spring.main.banner-mode", "off");
    properties.put("spring.datasource.url", DemoSystem.h2("client_reload_mid").get(0));
    properties.put("spring.datasource.username", "sa");
    properties.put("spring.liquibase.change-log", DemoSystem.CHANGELOG);
    properties.put("spring.liquibase.contexts", "client");
    properties.put("spring.artemis.embedded.enabled", "false");
    properties.put("camel.main.name", "mid");
    properties.put("deltasync.node.id", "mid");
    properties.put("deltasync.node.upstream", "top");
    properties.put("deltasync.ship.upstream-url", "http://127.0.0.1:9");
    properties.put("deltasync.ship.peers.top.secret", "0123456789abcdef0123456789abcdef");
    properties.put("deltasync.load.reload", "manual");
    properties.put("deltasync.cluster.enabled", "false");
    properties.put("deltasync.console.users.admin.password", PASSWORD);
    properties.put("deltasync.console.users.admin.role", "ADMIN");
    String[] args =
        properties.entrySet().stream()
            .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
            .toArray(String[]::new);
    mid = new SpringApplicationBuilder(ConsoleApplication.class).run(args);
    db = new JdbcTemplate(mid.getBean(DataSource.class));
  }

  @AfterAll
  static void stopMid() {
    if (mid != null) {
      mid.close();
    }
  }

  @Test
  void theAdminReleasesTheHeldReloadOfThisNodeFromItsHubAfterAPreviewOfItsRows() {
    for (long id = 1; id <= 3; id++) {
      db.update("INSERT INTO note (id, title) VALUES (?, ?)", id, "note " + id);
    }
    Loader loader = mid.getBean(Loader.class);
    loader.reloadNeeded("top purged deltas up to seq 40 that mid never got");
    Browser admin =
        Browser.loggedIn(
            Integer.parseInt(mid.getEnvironment().getProperty("local.server.port")),
            "admin",
            PASSWORD);

    assertThat(admin.get("/nodes").body())
        .containsPattern("(?s)id=\"pointer-mid-top\".*?load-HELD.*?top purged deltas up to seq 40")
        .contains("id=\"reload-top\"");
    String page = admin.get("/actions/reload?node=top").body();
    String api = admin.get("/api/actions/reload?node=top").body();
    HttpResponse<String> done = admin.post("/actions/reload", Map.of("node", "top"));

    assertThat(page)
        .contains("id=\"node\">mid<")
        .contains("id=\"source\">top<")
        .contains("This is the node this console runs on")
        .contains("id=\"reload-state\" class=\"load-HELD\">HELD<")
        .containsPattern("id=\"table-note\">\\s*<td>note</td>\\s*<td class=\"table-rows\">3<")
        .contains("id=\"total-rows\">3<")
        .contains("name=\"node\" value=\"top\"");
    assertThat(api).contains("\"node\":\"mid\"", "\"source\":\"top\"", "\"local\":true");
    assertThat(api).contains("\"state\":\"HELD\"", "\"totalRows\":3");
    assertThat(done.statusCode()).isEqualTo(302);
    assertThat(state()).isEqualTo("DUE");
    assertThat(loader.held()).isEmpty();
    assertThat(loader.pending()).isTrue();
    assertThat(admin.get("/nodes").body())
        .contains("Released the held reload of mid from top")
        .containsPattern("(?s)id=\"pointer-mid-top\".*?load-RELOAD_DUE");
    assertThat(
            db.queryForObject(
                "SELECT username || '|' || node_id || '|' || peer_id || '|' || rows_affected"
                    + " || '|' || outcome FROM ds_audit WHERE action_name = 'RELOAD'",
                String.class))
        .isEqualTo("admin|mid|top|3|DONE");
  }

  private static String state() {
    return db.queryForObject(
        "SELECT state FROM ds_reload WHERE node_id = 'mid' AND source_id = 'top'", String.class);
  }
}
