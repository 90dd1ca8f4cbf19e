package io.deltasync.e2e;

import static io.deltasync.e2e.support.E2eSystem.CLIENT_A;
import static io.deltasync.e2e.support.E2eSystem.CLIENT_B;
import static io.deltasync.e2e.support.E2eSystem.HUB;
import static io.deltasync.e2e.support.E2eSystem.OFFLINE_AFTER;
import static io.deltasync.e2e.support.E2eSystem.STALE_AFTER;

import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.deltasync.e2e.pages.NodesPage;
import io.deltasync.e2e.support.AppProcess;
import io.deltasync.e2e.support.Await;
import io.deltasync.e2e.support.Journey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Journey 2: the Nodes page follows a client that stops and comes back. */
@Order(2)
class NodesJourneyIT extends Journey {

  /** The page refreshes every 2 s; allow two refreshes and a slow machine on top. */
  private static final Duration SLACK = Duration.ofSeconds(10);

  @Test
  void aStoppedClientTurnsStaleThenOfflineAndOnlineAgainWhenItIsBackAndItsDeltasDrain() {
    NodesPage nodes = logInAsAdmin();
    for (String node : List.of(HUB, CLIENT_A, CLIENT_B)) {
      PlaywrightAssertions.assertThat(nodes.status(node)).hasText("ONLINE", within(SLACK));
    }
    PlaywrightAssertions.assertThat(nodes.pointer(HUB, CLIENT_A)).isVisible();
    PlaywrightAssertions.assertThat(nodes.pointer(HUB, CLIENT_B)).isVisible();

    AppProcess clientA = system.process(CLIENT_A);
    clientA.stop();
    PlaywrightAssertions.assertThat(nodes.status(CLIENT_A))
        .hasText("STALE", within(STALE_AFTER.plus(SLACK)));
    PlaywrightAssertions.assertThat(nodes.status(CLIENT_A))
        .hasText("OFFLINE", within(OFFLINE_AFTER.minus(STALE_AFTER).plus(SLACK)));
    PlaywrightAssertions.assertThat(nodes.status(CLIENT_B)).hasText("ONLINE");

    system.shop(CLIENT_B).addNote(2001, "Written while client-a was away");
    Await.until("note 2001 at the hub", () -> system.db(HUB).has("note", 2001));
    PlaywrightAssertions.assertThat(nodes.lag(HUB, CLIENT_A)).not().hasText("0", within(SLACK));

    clientA.start().awaitUp();
    PlaywrightAssertions.assertThat(nodes.status(CLIENT_A)).hasText("ONLINE", within(SLACK));
    Await.until("note 2001 on client-a", () -> system.db(CLIENT_A).has("note", 2001));
    PlaywrightAssertions.assertThat(nodes.lag(HUB, CLIENT_A)).hasText("0", within(SLACK));
    publish(screenshot("2-nodes"), "console-nodes.png");
  }

  private static LocatorAssertions.HasTextOptions within(Duration time) {
    return new LocatorAssertions.HasTextOptions().setTimeout(time.toMillis());
  }
}
