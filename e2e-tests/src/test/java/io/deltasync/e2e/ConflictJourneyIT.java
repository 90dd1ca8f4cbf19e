package io.deltasync.e2e;

import static io.deltasync.e2e.support.E2eSystem.ADMIN;
import static io.deltasync.e2e.support.E2eSystem.CLIENT_A;
import static io.deltasync.e2e.support.E2eSystem.CLIENT_B;
import static io.deltasync.e2e.support.E2eSystem.HUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.deltasync.e2e.pages.ConflictPage;
import io.deltasync.e2e.pages.ConflictsPage;
import io.deltasync.e2e.pages.NodesPage;
import io.deltasync.e2e.support.Await;
import io.deltasync.e2e.support.Journey;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Journey 4: both clients edit the same note while the hub ships nothing to them (paused from the
 * console); {@code note}'s policy is {@code manual}, so the second edit waits as a conflict, shown
 * side by side; the ADMIN takes the incoming side, and every database ends with it.
 */
@Order(4)
class ConflictJourneyIT extends Journey {

  private static final long NOTE = 4001;

  @Test
  void concurrentEditsConflictAndTakingTheIncomingSideGivesEveryDatabaseItsValues() {
    system.shop(CLIENT_A).addNote(NOTE, "Opening hours");
    system.awaitNoteEverywhere(NOTE, "|" + CLIENT_A);
    NodesPage nodes = logInAsAdmin();
    nodes.pause(CLIENT_A).confirm();
    NodesPage.open(page).pause(CLIENT_B).confirm();
    try {
      system.shop(CLIENT_A).editNote(NOTE, "Mon-Fri 9-17");
      Await.until(
          "client-a's edit at the hub",
          () -> ("Mon-Fri 9-17|" + CLIENT_A).equals(system.db(HUB).note(NOTE)));
      system.shop(CLIENT_B).editNote(NOTE, "Mon-Sat 10-18");

      Locator open = openConflictOnNote();
      long id = Long.parseLong(open.getAttribute("id").substring("conflict-".length()));
      resumeShippingIfPaused(CLIENT_A, CLIENT_B);
      ConflictPage conflict = ConflictsPage.open(page).open(id);

      PlaywrightAssertions.assertThat(conflict.status()).hasText("OPEN");
      PlaywrightAssertions.assertThat(conflict.column("body"))
          .hasClass(Pattern.compile("\\bdiffers\\b"));
      PlaywrightAssertions.assertThat(conflict.column("updated_by"))
          .hasClass(Pattern.compile("\\bdiffers\\b"));
      PlaywrightAssertions.assertThat(conflict.column("title"))
          .not()
          .hasClass(Pattern.compile("\\bdiffers\\b"));
      assertThat(conflict.hubValue("body")).isEqualTo("Mon-Fri 9-17");
      assertThat(conflict.incomingValue("body")).isEqualTo("Mon-Sat 10-18");
      publish(screenshot("4-conflict"), "console-conflict.png");

      conflict.takeIncoming();

      PlaywrightAssertions.assertThat(conflict.status()).hasText("RESOLVED");
      PlaywrightAssertions.assertThat(conflict.resolvedBy()).hasText(ADMIN);
      system.awaitNoteEverywhere(NOTE, "Mon-Sat 10-18|" + CLIENT_B);
      screenshot("4-conflict-resolved");
    } finally {
      resumeShippingIfPaused(CLIENT_A, CLIENT_B);
    }
  }

  private Locator openConflictOnNote() {
    Locator[] found = new Locator[1];
    Await.until(
        "an open conflict on note at the hub",
        () -> {
          Locator rows = ConflictsPage.open(page).openOn("note");
          if (rows.count() == 0) {
            return false;
          }
          found[0] = rows.first();
          return true;
        });
    return found[0];
  }
}
