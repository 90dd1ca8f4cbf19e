package io.deltasync.e2e;

import static io.deltasync.e2e.support.E2eSystem.CLIENT_A;
import static io.deltasync.e2e.support.E2eSystem.HUB;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.e2e.support.Db;
import io.deltasync.e2e.support.Journey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Journey 8: every page has a title of its own, one main heading, a label for every form field, and
 * causes no error in the browser's console.
 */
@Order(8)
class AccessibilityJourneyIT extends Journey {

  /** The form fields of the page that no label names, by name or id. */
  private static final String UNLABELLED =
      "() => Array.from(document.querySelectorAll("
          + "'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea'))"
          + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
          + " && !e.getAttribute('aria-labelledby'))"
          + ".map(e => e.name || e.id)";

  @Test
  void everyPageHasATitleAHeadingLabelledFieldsAndNoConsoleErrors() {
    List<String> problems = new ArrayList<>();
    page.navigate("/login");
    check("/login", problems);

    logInAsAdmin();
    Db hub = system.db(HUB);
    system.shop(CLIENT_A).addNote(7001, "A page to look at");
    List<String> paths = new ArrayList<>();
    paths.add("/nodes");
    paths.add("/deltas");
    paths.add("/deltas/" + hub.number("SELECT MAX(seq) FROM ds_delta"));
    paths.add("/conflicts");
    long conflict = hub.number("SELECT COALESCE(MAX(conflict_id), 0) FROM ds_conflict");
    assertThat(conflict).as("a conflict recorded by the conflict journey").isPositive();
    paths.add("/conflicts/" + conflict);
    paths.add("/dead-letters");
    paths.add("/audit");
    paths.add("/actions/resend?peer=" + CLIENT_A);
    paths.add("/actions/shipping?peer=" + CLIENT_A + "&pause=true");
    paths.add("/actions/purge");
    paths.add("/actions/reload?node=" + CLIENT_A);
    long deadLetter = hub.number("SELECT COALESCE(MAX(id), 0) FROM ds_dead_letter");
    assertThat(deadLetter).as("a dead letter kept by the dead-letter journey").isPositive();
    paths.add("/actions/dead-letters?operation=retry&ids=" + deadLetter);
    paths.add("/actions/conflicts/" + conflict + "/resolve?decision=keep-hub");
    List<String> titles = new ArrayList<>();
    for (String path : paths) {
      page.navigate(path);
      titles.add(page.title());
      check(path, problems);
    }

    assertThat(problems).isEmpty();
    assertThat(titles.subList(0, 7)).doesNotHaveDuplicates();
    assertThat(consoleErrors).isEmpty();
  }

  private void check(String path, List<String> problems) {
    if (page.title().isBlank()) {
      problems.add(path + ": no title");
    }
    if (page.locator("html[lang]").count() != 1) {
      problems.add(path + ": no language on <html>");
    }
    int headings = page.locator("main h1").count();
    if (headings != 1 || page.locator("main h1").first().textContent().isBlank()) {
      problems.add(path + ": " + headings + " main headings");
    }
    @SuppressWarnings("unchecked")
    List<String> unlabelled = (List<String>) page.evaluate(UNLABELLED);
    if (!unlabelled.isEmpty()) {
      problems.add(path + ": fields without a label " + unlabelled);
    }
  }
}
