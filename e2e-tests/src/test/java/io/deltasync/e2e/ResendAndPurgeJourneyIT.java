package io.deltasync.e2e;

import static io.deltasync.e2e.support.E2eSystem.ADMIN;
import static io.deltasync.e2e.support.E2eSystem.CLIENT_A;
import static io.deltasync.e2e.support.E2eSystem.CLIENT_B;
import static io.deltasync.e2e.support.E2eSystem.HUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.deltasync.e2e.pages.AuditPage;
import io.deltasync.e2e.pages.DeltasPage;
import io.deltasync.e2e.pages.NodesPage;
import io.deltasync.e2e.pages.PurgePage;
import io.deltasync.e2e.pages.ResendPage;
import io.deltasync.e2e.support.Await;
import io.deltasync.e2e.support.Db;
import io.deltasync.e2e.support.Journey;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Journey 5: the ADMIN re-sends a range to client-a, which changes nothing there (it applies each
 * delta once), and purges what every peer acknowledged while client-b still waits for some.
 */
@Order(5)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResendAndPurgeJourneyIT extends Journey {

  private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.E]+)");

  @Test
  @Order(1)
  void aResendShipsThePreviewedCountAgainAndLeavesTheClientUnchanged() {
    Db hub = system.db(HUB);
    Db clientA = system.db(CLIENT_A);
    long from = hub.number("SELECT COALESCE(MAX(seq), 0) FROM ds_delta");
    for (long id = 5001; id <= 5003; id++) {
      system.shop(CLIENT_B).addNote(id, "Re-send " + id);
    }
    Await.until("notes 5001-5003 on client-a", () -> clientA.has("note", 5003));
    Await.until("client-a acknowledged them", () -> lastPushed(hub, CLIENT_A) >= maxSeq(hub));
    List<List<String>> notesBefore = clientA.rows("SELECT * FROM note ORDER BY id");
    List<List<String>> itemsBefore = clientA.rows("SELECT * FROM item ORDER BY id");
    NodesPage nodes = logInAsAdmin();
    double shippedBefore = shipped();

    ResendPage resend = nodes.resendTo(CLIENT_A).from(from);
    long previewed = resend.count();
    assertThat(previewed).isEqualTo(3);
    NodesPage done = resend.confirm();

    PlaywrightAssertions.assertThat(done.message()).containsText("Re-sending 3 deltas to client-a");
    Await.until("the re-sent deltas served", () -> shipped() - shippedBefore >= previewed);
    sleep(Duration.ofSeconds(3)); // several more pulls of client-a: nothing more goes again
    assertThat(shipped() - shippedBefore).isEqualTo(previewed);
    assertThat(clientA.rows("SELECT * FROM note ORDER BY id")).isEqualTo(notesBefore);
    assertThat(clientA.rows("SELECT * FROM item ORDER BY id")).isEqualTo(itemsBefore);
    assertThat(clientA.number("SELECT COUNT(*) - COUNT(DISTINCT delta_id) FROM ds_delta")).isZero();
    Locator entry = AuditPage.open(page).newest("RESEND");
    assertThat(AuditPage.cell(entry, "user")).isEqualTo(ADMIN);
    assertThat(AuditPage.cell(entry, "peer")).isEqualTo(CLIENT_A);
    assertThat(AuditPage.cell(entry, "rows")).isEqualTo("3");
    assertThat(AuditPage.cell(entry, "outcome")).isEqualTo("DONE");
    screenshot("5-resend-audit");
  }

  @Test
  @Order(2)
  void aPurgeRemovesExactlyThePreviewedDeltasAndKeepsWhatAPeerStillNeeds() {
    Db hub = system.db(HUB);
    logInAsAdmin().pause(CLIENT_B).confirm();
    try {
      system.shop(CLIENT_A).addItem(5101, "Chair", 2, new BigDecimal("49.00"));
      system.shop(CLIENT_A).addItem(5102, "Table", 1, new BigDecimal("129.00"));
      Await.until("items 5101 and 5102 at the hub", () -> hub.has("item", 5102));
      long neededByB = lastPushed(hub, CLIENT_B);
      long pendingForB = hub.number("SELECT COUNT(*) FROM ds_delta WHERE seq > ?", neededByB);
      long before = hub.number("SELECT COUNT(*) FROM ds_delta");

      PurgePage purge = NodesPage.open(page).purge();
      long previewed = purge.count();
      long upTo = purge.upToSeq();
      PlaywrightAssertions.assertThat(purge.noPeerNeeds()).isVisible();
      DeltasPage after = purge.confirm();

      PlaywrightAssertions.assertThat(after.message()).containsText(String.valueOf(previewed));
      assertThat(previewed).isPositive();
      assertThat(upTo).isLessThanOrEqualTo(neededByB);
      assertThat(before - hub.number("SELECT COUNT(*) FROM ds_delta")).isEqualTo(previewed);
      assertThat(hub.number("SELECT COUNT(*) FROM ds_delta WHERE seq <= ?", upTo)).isZero();
      assertThat(hub.number("SELECT COUNT(*) FROM ds_delta WHERE seq > ?", neededByB))
          .isEqualTo(pendingForB)
          .isGreaterThanOrEqualTo(2);
      Locator entry = AuditPage.open(page).newest("PURGE");
      assertThat(AuditPage.cell(entry, "rows")).isEqualTo(String.valueOf(previewed));
      assertThat(AuditPage.cell(entry, "outcome")).isEqualTo("DONE");
      screenshot("5-purge-audit");

      resumeShippingIfPaused(CLIENT_B);
      Await.until("items 5101 and 5102 on client-b", () -> system.db(CLIENT_B).has("item", 5102));
      assertThat(system.db(CLIENT_B).has("item", 5101)).isTrue();
    } finally {
      resumeShippingIfPaused(CLIENT_B);
    }
  }

  /** Deltas the hub has shipped since it started ({@code deltasync.deltas.shipped}). */
  private double shipped() {
    APIResponse response = page.request().get("/actuator/metrics/deltasync.deltas.shipped");
    assertThat(response.status()).isEqualTo(200);
    Matcher value = VALUE.matcher(response.text());
    assertThat(value.find()).as("a value in %s", response.text()).isTrue();
    return Double.parseDouble(value.group(1));
  }

  private static long lastPushed(Db hub, String peer) {
    return hub.number(
        "SELECT last_pushed FROM ds_node_pointer WHERE node_id = 'hub' AND peer_id = ?", peer);
  }

  private static long maxSeq(Db hub) {
    return hub.number("SELECT COALESCE(MAX(seq), 0) FROM ds_delta");
  }

  private static void sleep(Duration time) {
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
