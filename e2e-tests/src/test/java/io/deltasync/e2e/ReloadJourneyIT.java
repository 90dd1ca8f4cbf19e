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
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Journey 7: the ADMIN reloads client-a from the Nodes page. The preview shows the hub's rows per
 * table; after the confirmation the hub refuses client-a's next pull, client-a reloads by itself
 * and ends with the hub's rows: a note only it held is gone, an item only the hub held arrived.
 */
@Order(7)
class ReloadJourneyIT extends Journey {

  @Test
  void theAdminReloadsAClientAfterAPreviewAndItEndsWithTheHubsRows() {
    Db hub = system.db(HUB);
    Db clientA = system.db(CLIENT_A);
    Await.until(
        "client-a a known peer of the hub",
        () ->
            hub.number(
                    "SELECT COUNT(*) FROM ds_node_pointer WHERE node_id = ? AND peer_id = ?",
                    HUB,
                    CLIENT_A)
                == 1);
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
}
