package io.deltasync.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

/** {@code /conflicts/{id}}: the hub's row and the incoming row side by side, and the resolution. */
public final class ConflictPage extends ConsolePage {

  ConflictPage(Page page) {
    super(page);
  }

  /** The conflict's status (OPEN, RESOLVED). */
  public Locator status() {
    return page.locator("#conflict-status");
  }

  /** The outcome once resolved. */
  public Locator outcome() {
    return page.locator("#conflict-outcome");
  }

  /** Who resolved it. */
  public Locator resolvedBy() {
    return page.locator("#conflict-resolved-by");
  }

  /** The row of one column in the side-by-side table. */
  public Locator column(String name) {
    return page.locator("#column-" + name);
  }

  /** The columns marked as differing. */
  public Locator differing() {
    return page.locator("#sides tbody tr.differs");
  }

  /** The hub's value of the column. */
  public String hubValue(String name) {
    return column(name).locator(".hub-value").textContent().trim();
  }

  /** The incoming value of the column. */
  public String incomingValue(String name) {
    return column(name).locator(".incoming-value").textContent().trim();
  }

  /** Takes the incoming change: the decision, its confirmation page, and back to the conflict. */
  public ConflictPage takeIncoming() {
    return decide("#resolve-take-incoming");
  }

  /** Keeps the hub's row, confirmed. */
  public ConflictPage keepHub() {
    return decide("#resolve-keep-hub");
  }

  private ConflictPage decide(String form) {
    page.locator(form + " button").click();
    page.waitForURL("**/resolve**");
    page.locator("#confirm").click();
    page.waitForURL(url -> url.matches(".*/conflicts/\\d+$"));
    return this;
  }
}
