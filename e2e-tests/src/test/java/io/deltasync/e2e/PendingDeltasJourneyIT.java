package io.deltasync.e2e;

import static io.deltasync.e2e.support.E2eSystem.CLIENT_A;
import static io.deltasync.e2e.support.E2eSystem.CLIENT_B;
import static io.deltasync.e2e.support.E2eSystem.HUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.deltasync.e2e.pages.DeltaPage;
import io.deltasync.e2e.pages.DeltasPage;
import io.deltasync.e2e.pages.NodesPage;
import io.deltasync.e2e.pages.ShippingPage;
import io.deltasync.e2e.support.Await;
import io.deltasync.e2e.support.Journey;
import java.math.BigDecimal;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Journey 3: a change made through client-a's mapper waits at the hub for client-b (shipping to
 * client-b paused from the console), decoded on its page, and leaves the pending list once shipped.
 */
@Order(3)
class PendingDeltasJourneyIT extends Journey {

  @Test
  void aCapturedChangeIsPendingForTheOtherClientUntilShippedAndTheFiltersNarrowTheList() {
    ShippingPage pause = logInAsAdmin().pause(CLIENT_B);
    assertThat(pause.routes()).isEqualTo("the feed it pulls from");
    NodesPage paused = pause.confirm();
    PlaywrightAssertions.assertThat(paused.shipping(HUB, CLIENT_B)).hasText("PAUSED");
    try {
      system.shop(CLIENT_A).addItem(3001, "Desk lamp", 4, new BigDecimal("19.90"));
      system.shop(CLIENT_A).addNote(3002, "Pending note");
      Await.until("item 3001 and note 3002 at the hub", () -> system.db(HUB).has("note", 3002));

      DeltasPage items = DeltasPage.open(page).filter(CLIENT_B, CLIENT_A, "item");
      assertThat(items.seqs()).hasSize(1);
      assertThat(items.tables()).containsOnly("item");
      assertThat(items.origins()).containsOnly(CLIENT_A);
      long seq = items.seqs().get(0);
      DeltaPage delta = items.open(seq);
      assertThat(delta.sql())
          .isEqualTo("INSERT INTO item (id, name, qty, price) VALUES (?, ?, ?, ?)");
      assertThat(delta.params())
          .containsExactly("LONG 3001", "STRING Desk lamp", "INT 4", "DECIMAL 19.90");
      assertThat(delta.field("origin")).isEqualTo(CLIENT_A);
      assertThat(delta.field("pending-for")).isEqualTo(CLIENT_B);
      screenshot("3-delta-detail");

      DeltasPage notes = DeltasPage.open(page).filter(CLIENT_B, CLIENT_A, "note");
      assertThat(notes.tables()).isNotEmpty().containsOnly("note");
      assertThat(notes.seqs()).doesNotContain(seq);
      DeltasPage fromB = DeltasPage.open(page).filter(CLIENT_B, CLIENT_B, "");
      PlaywrightAssertions.assertThat(fromB.none()).isVisible();
      DeltasPage pendingForB = DeltasPage.open(page).filter(CLIENT_B, "", "");
      assertThat(pendingForB.seqs()).contains(seq);
      assertThat(system.db(CLIENT_B).has("item", 3001)).isFalse();

      NodesPage.open(page).resume(CLIENT_B).confirm();
      Await.until("item 3001 on client-b", () -> system.db(CLIENT_B).has("item", 3001));
      Await.until(
          "item 3001 no longer pending for client-b",
          () -> !DeltasPage.open(page).filter(CLIENT_B, "", "").seqs().contains(seq));
      screenshot("3-pending-after-shipping");
    } finally {
      resumeShippingIfPaused(CLIENT_B);
    }
  }
}
