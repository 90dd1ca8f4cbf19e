package io.deltasync.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

/** {@code /dead-letters}: what the hub refused or failed to apply, with the ADMIN's actions. */
public final class DeadLettersPage extends ConsolePage {

  DeadLettersPage(Page page) {
    super(page);
  }

  /** Opens the Dead letters page. */
  public static DeadLettersPage open(Page page) {
    page.navigate("/dead-letters");
    return new DeadLettersPage(page);
  }

  /** The page as it is now. */
  public static DeadLettersPage current(Page page) {
    return new DeadLettersPage(page);
  }

  /** The rows of dead letters from the sender with this status. */
  public Locator from(String sender, String status) {
    return page.locator("#dead-letters tbody tr")
        .filter(
            new Locator.FilterOptions()
                .setHas(page.locator(".dead-letter-sender:text-is('" + sender + "')")))
        .filter(
            new Locator.FilterOptions()
                .setHas(page.locator(".dead-letter-status:text-is('" + status + "')")));
  }

  /** A dead letter's id from its row. */
  public static long id(Locator row) {
    return Long.parseLong(row.getAttribute("id").substring("dead-letter-".length()));
  }

  /** The row of a dead letter. */
  public Locator row(long id) {
    return page.locator("#dead-letter-" + id);
  }

  /** Skips the dead letter: selects it, asks, confirms; back on this page. */
  public DeadLettersPage skip(long id) {
    page.locator("#select-" + id).check();
    page.locator("#skip-selected").click();
    page.waitForURL("**/actions/dead-letters**");
    page.locator("#confirm").click();
    page.waitForURL("**/dead-letters");
    return this;
  }
}
