package io.deltasync.console.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.console.support.Browser;
import io.deltasync.console.support.SharedHub;
import io.deltasync.console.support.TestHub;
import io.deltasync.delta.NameFilter;
import io.deltasync.load.HubSnapshots;
import io.deltasync.load.Loader;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The console hub is itself a client of a higher hub, {@code top} (an H2 database of its own),
 * loading one table, {@code shelf}, from it in chunks of 5: between chunks, a viewer sees the load
 * in progress on the Nodes page and in {@code /api/nodes} (table, rows of the total, rate, time
 * left); after it, done; when {@code top} says the hub must reload and the hub waits for an
 * operator, the page, the API and the health details show it held with the reason. The rows this
 * leaves on the shared hub for {@code top} are removed after.
 */
@Tag("integration")
class LoadProgressPageIT {

  private static final int SHELVES = 12;

  private static TestHub hub;
  private static Browser viewer;
  private static TestDatabase top;
  private static HubSnapshots snapshots;

  @BeforeAll
  static void startTopWithShelves() {
    hub = SharedHub.get();
    viewer = hub.viewer();
    top = TestDatabases.h2("console_load_top").migrate();
    JdbcTemplate topDb = new JdbcTemplate(top.dataSource());
    topDb.execute("CREATE TABLE shelf (id BIGINT PRIMARY KEY, name VARCHAR(40))");
    for (int id = 1; id <= SHELVES; id++) {
      topDb.update("INSERT INTO shelf (id, name) VALUES (?, ?)", id, "shelf " + id);
    }
    hub.hubDb().execute("CREATE TABLE shelf (id BIGINT PRIMARY KEY, name VARCHAR(40))");
    snapshots =
        new HubSnapshots(
            top.dataSource(), "top", NameFilter.of("shelf", ""), () -> null, Duration.ofMinutes(1));
  }

  @AfterAll
  static void forgetTop() {
    if (snapshots != null) {
      snapshots.close();
    }
    JdbcTemplate db = hub.hubDb();
    db.update("DELETE FROM ds_load WHERE peer_id = 'top'");
    db.update("DELETE FROM ds_reload WHERE source_id = 'top'");
    db.update("DELETE FROM ds_rebase WHERE peer_id = 'top'");
    db.update("DELETE FROM ds_node_pointer WHERE peer_id = 'top'");
    db.execute("DROP TABLE shelf");
    top.close();
  }

  @Test
  void aViewerWatchesTheHubsLoadFromItsHubAndSeesItHeldWithTheReason() {
    DataSource hubData = hub.hubDb().getDataSource();
    Loader loader =
        new Loader(hubData, "hub", NameFilter.of("shelf", ""), snapshots, 5, Loader.Reload.MANUAL);
    List<String> pages = new ArrayList<>();
    List<String> apis = new ArrayList<>();

    loader.run(
        () -> {
          pages.add(viewer.get("/nodes").body());
          apis.add(viewer.get("/api/nodes").body());
          return true;
        });

    assertThat(pages).hasSize(3); // before each chunk of 5, 5 and 2 rows
    assertThat(pages.get(1))
        .contains("id=\"load-top\"")
        .contains("load-LOADING")
        .contains("class=\"load-tables\">0 of 1<")
        .contains("class=\"load-table\">shelf<")
        .contains("class=\"load-rows\">5 of " + SHELVES + "<")
        .containsPattern("class=\"load-left\">about \\d+ s<");
    assertThat(apis.get(1))
        .contains("\"peer\":\"top\"")
        .contains("\"state\":\"LOADING\"")
        .contains("\"currentTable\":\"shelf\"")
        .contains("\"rowsLoaded\":5")
        .contains("\"rowsTotal\":" + SHELVES)
        .containsPattern("\"secondsLeft\":\\d+");
    assertThat(viewer.get("/nodes").body())
        .contains("load-DONE")
        .contains("class=\"load-tables\">1 of 1<")
        .contains("class=\"load-rows\">" + SHELVES + " of " + SHELVES + "<");

    loader.reloadNeeded("top purged deltas up to seq 40 that hub never got");

    assertThat(viewer.get("/nodes").body())
        .contains("load-HELD")
        .contains("id=\"load-reason-top\"")
        .contains("Held for an operator (Loader.reload()): hub cannot continue from top")
        .contains("top purged deltas up to seq 40");
    assertThat(viewer.get("/api/nodes").body())
        .contains("\"state\":\"HELD\"")
        .contains("top purged deltas up to seq 40");
    assertThat(hub.admin().get("/actuator/health/deltasync").body())
        .contains("\"loads\":[{\"peer\":\"top\",\"state\":\"HELD\"")
        .contains("top purged deltas up to seq 40");
  }
}
