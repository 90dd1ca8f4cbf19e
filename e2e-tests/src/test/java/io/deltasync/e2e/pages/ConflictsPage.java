package io.deltasync.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

/** {@code /conflicts}: the conflicts the hub recorded, newest first. */
public final class ConflictsPage extends ConsolePage {

  ConflictsPage(Page page) {
    super(page);
  }

  /** Opens the Conflicts page. */
  public static ConflictsPage open(Page page) {
    page.navigate("/conflicts");
    return new ConflictsPage(page);
  }

  /** The row of a conflict. */
  public Locator row(long id) {
    return page.locator("#conflict-" + id);
  }

  /** The open conflicts on the table, newest first. */
  public Locator openOn(String table) {
    return page.locator("#conflicts tbody tr")
        .filter(
            new Locator.FilterOptions().setHas(page.locator(".conflict-status:text-is('OPEN')")))
        .filter(
            new Locator.FilterOptions()
                .setHas(page.locator(".conflict-table:text-is('" + table + "')")));
  }

  /** Opens a conflict's detail. */
  public ConflictPage open(long id) {
    row(id).locator(".conflict-id").click();
    page.waitForURL("**/conflicts/" + id);
    return new ConflictPage(page);
  }
}
