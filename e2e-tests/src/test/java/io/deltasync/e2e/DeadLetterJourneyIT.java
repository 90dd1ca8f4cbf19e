package io.deltasync.e2e;

import static io.deltasync.e2e.support.E2eSystem.ADMIN;
import static io.deltasync.e2e.support.E2eSystem.CLIENT_A;
import static io.deltasync.e2e.support.E2eSystem.CLIENT_B;
import static io.deltasync.e2e.support.E2eSystem.HUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.deltasync.e2e.pages.AuditPage;
import io.deltasync.e2e.pages.DeadLettersPage;
import io.deltasync.e2e.support.Await;
import io.deltasync.e2e.support.Journey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Journey 6: client-b's signed batch carries a statement the hub's validator refuses (a table the
 * hub does not replicate); the hub quarantines it and client-b's stream waits; the ADMIN skips it,
 * and the stream goes on without it.
 */
@Order(6)
class DeadLetterJourneyIT extends Journey {

  @Test
  void aRefusedStatementIsQuarantinedAndSkippingItMovesTheStreamOn() {
    Instant start = Instant.now().minusSeconds(1);
    system.shop(CLIENT_B).addSetting("theme", "dark");
    system.shop(CLIENT_B).addNote(6001, "Written after the setting");
    logInAsAdmin();

    Locator[] quarantined = new Locator[1];
    Await.until(
        "a quarantined dead letter from client-b",
        () -> {
          Locator rows = DeadLettersPage.open(page).from(CLIENT_B, "QUARANTINED");
          quarantined[0] = rows.count() > 0 ? rows.first() : null;
          return quarantined[0] != null;
        });
    DeadLettersPage deadLetters = DeadLettersPage.current(page);
    Locator row = quarantined[0];
    assertThat(row.locator(".dead-letter-reason").textContent())
        .contains("table local_setting is not replicated by this node");
    long id = DeadLettersPage.id(row);
    assertThat(system.db(HUB).has("note", 6001)).as("client-b's stream waits").isFalse();
    screenshot("6-dead-letter");

    deadLetters.skip(id);

    PlaywrightAssertions.assertThat(deadLetters.row(id).locator(".dead-letter-status"))
        .hasText("SKIPPED");
    Await.until("note 6001 at the hub", () -> system.db(HUB).has("note", 6001));
    Await.until("note 6001 on client-a", () -> system.db(CLIENT_A).has("note", 6001));
    assertThat(system.db(HUB).number("SELECT COUNT(*) FROM local_setting")).isZero();
    assertThat(system.db(CLIENT_A).number("SELECT COUNT(*) FROM local_setting")).isZero();
    Locator entry = AuditPage.open(page).newest("SKIP_DEAD_LETTER");
    assertThat(AuditPage.cell(entry, "user")).isEqualTo(ADMIN);
    assertThat(AuditPage.cell(entry, "peer")).isEqualTo(CLIENT_B);
    assertThat(AuditPage.cell(entry, "outcome")).isEqualTo("DONE");
    Instant when = AuditPage.when(entry);
    assertThat(when).isBetween(start, Instant.now().plus(Duration.ofSeconds(1)));
    screenshot("6-dead-letter-skipped-audit");
  }
}
