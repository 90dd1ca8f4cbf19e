package io.deltasync.e2e;

import static io.deltasync.e2e.support.E2eSystem.ADMIN;
import static io.deltasync.e2e.support.E2eSystem.CLIENT_A;
import static io.deltasync.e2e.support.E2eSystem.HUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.deltasync.e2e.pages.AuditPage;
import io.deltasync.e2e.pages.NodesPage;
import io.deltasync.e2e.pages.ReloadPage;
import io.deltasync.e2e.support.Await;
import io.deltasync.e2e.support.Db;
import io.deltasync.e2e.support.Journey;
import java.math.BigDecimal;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Journey 7: the ADMIN reloads client-a from the Nodes page. The preview shows the hub's rows per
 * table; after the confirmation the hub refuses client-a's next pull, client-a reloads by itself
 * and ends with the hub's rows: a note only it held is gone, an item only the hub held arrived.
 * Then the ADMIN asks client-a to reload one table only, from the same preview: the request shows
 * on client-a's pointer until client-a, at its next pull, has reloaded that table page by page
 * while its pulls went on, and reported it done; its other table is left as it was.
 */
@Order(7)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReloadJourneyIT extends Journey {

  @Test
  @Order(1)
  void theAdminReloadsAClientAfterAPreviewAndItEndsWithTheHubsRows() {
    Db hub = system.db(HUB);
    Db clientA = system.db(CLIENT_A);
    awaitClientAKnown(hub);
    // past DeltaSync (plain JDBC, nothing captured): no delta brings these two rows across
    clientA.update("INSERT INTO note (id, title) VALUES (7101, 'Only on client-a')");
    hub.update(
        "INSERT INTO item (id, name, qty, price) VALUES (7102, 'Only on the hub', 1, ?)",
        new BigDecimal("9.50"));
    String loadBefore = clientA.text("SELECT MAX(load_id) FROM ds_load");
    long notes = hub.number("SELECT COUNT(*) FROM note");
    long items = hub.number("SELECT COUNT(*) FROM item");

    ReloadPage reload = logInAsAdmin().reload(CLIENT_A);

    assertThat(reload.node()).isEqualTo(CLIENT_A);
    assertThat(reload.source()).isEqualTo(HUB);
    assertThat(reload.rows("note")).isEqualTo(notes);
    assertThat(reload.rows("item")).isEqualTo(items);
    assertThat(reload.totalRows()).isEqualTo(notes + items);
    screenshot("7-reload-preview");
    NodesPage done = reload.confirm();

    PlaywrightAssertions.assertThat(done.message())
        .containsText("Reload of " + CLIENT_A + " requested");
    Await.until(
        "client-a reloaded: the hub's item there, its own note gone",
        () -> clientA.has("item", 7102) && !clientA.has("note", 7101));
    Await.until(
        "the hub serving client-a again",
        () -> hub.number("SELECT COUNT(*) FROM ds_reload WHERE node_id = ?", CLIENT_A) == 0);
    assertThat(clientA.text("SELECT MAX(load_id) FROM ds_load")).isNotEqualTo(loadBefore);
    for (String query :
        new String[] {
          "SELECT id, title, body, updated_by FROM note ORDER BY id",
          "SELECT id, name, qty, price FROM item ORDER BY id"
        }) {
      assertThat(clientA.rows(query)).as(query).isEqualTo(hub.rows(query));
    }
    PlaywrightAssertions.assertThat(NodesPage.open(page).reloadState(HUB, CLIENT_A)).hasText("-");
    Locator entry = AuditPage.open(page).newest("RELOAD");
    assertThat(AuditPage.cell(entry, "user")).isEqualTo(ADMIN);
    assertThat(AuditPage.cell(entry, "peer")).isEqualTo(CLIENT_A);
    assertThat(AuditPage.cell(entry, "rows")).isEqualTo(String.valueOf(notes + items));
    assertThat(AuditPage.cell(entry, "outcome")).isEqualTo("DONE");
    screenshot("7-reload-audit");
  }

  @Test
  @Order(2)
  void theAdminAsksAClientToReloadOneTableAndOnlyThatTableTakesTheHubsRows() {
    Db hub = system.db(HUB);
    Db clientA = system.db(CLIENT_A);
    awaitClientAKnown(hub);
    // past DeltaSync (plain JDBC, nothing captured): the item table differs, and so does a note
    hub.update(
        "INSERT INTO item (id, name, qty, price) VALUES (7202, 'Only on the hub', 2, ?)",
        new BigDecimal("3.25"));
    clientA.update(
        "INSERT INTO item (id, name, qty, price) VALUES (7203, 'Only on client-a', 1, 1)");
    clientA.update("INSERT INTO note (id, title) VALUES (7204, 'Only on client-a')");
    String loadBefore = clientA.text("SELECT MAX(load_id) FROM ds_load");

    NodesPage asked = logInAsAdmin().reload(CLIENT_A).reloadTableOnly("item");

    PlaywrightAssertions.assertThat(asked.message())
        .containsText("Asked " + CLIENT_A + " to reload table item from " + HUB);
    Await.until(
        "client-a reloaded item: the hub's row there, its own gone",
        () -> clientA.has("item", 7202) && !clientA.has("item", 7203));
    Await.until(
        "client-a reported its reload done",
        () -> hub.number("SELECT COUNT(*) FROM ds_table_reload WHERE node_id = ?", CLIENT_A) == 0);
    String items = "SELECT id, name, qty, price FROM item ORDER BY id";
    assertThat(clientA.rows(items)).isEqualTo(hub.rows(items));
    assertThat(clientA.has("note", 7204)).as("a table it was not asked to reload").isTrue();
    assertThat(clientA.text("SELECT MAX(load_id) FROM ds_load"))
        .as("no load: its pointer stays")
        .isEqualTo(loadBefore);
    PlaywrightAssertions.assertThat(NodesPage.open(page).tableReload(CLIENT_A, "item")).hasCount(0);
    Locator entry = AuditPage.open(page).newest("RELOAD_PEER_TABLE");
    assertThat(AuditPage.cell(entry, "user")).isEqualTo(ADMIN);
    assertThat(AuditPage.cell(entry, "peer")).isEqualTo(CLIENT_A);
    assertThat(AuditPage.cell(entry, "outcome")).isEqualTo("DONE");
    clientA.update("DELETE FROM note WHERE id = 7204");
  }

  private static void awaitClientAKnown(Db hub) {
    Await.until(
        "client-a a known peer of the hub",
        () ->
            hub.number(
                    "SELECT COUNT(*) FROM ds_node_pointer WHERE node_id = ? AND peer_id = ?",
                    HUB,
                    CLIENT_A)
                == 1);
  }
}
