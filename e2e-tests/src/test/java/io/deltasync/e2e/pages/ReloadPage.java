package io.deltasync.e2e.pages;

import com.microsoft.playwright.Page;

/**
 * {@code /actions/reload}: what reloading a node does, its pointers and the rows per table it
 * receives, then the confirmation.
 */
public final class ReloadPage extends ConsolePage {

  ReloadPage(Page page) {
    super(page);
  }

  /** The node that reloads. */
  public String node() {
    return page.locator("#node").textContent().trim();
  }

  /** The node it reloads from. */
  public String source() {
    return page.locator("#source").textContent().trim();
  }

  /** The rows of the table the preview shows. */
  public long rows(String table) {
    return Long.parseLong(page.locator("#table-" + table + " .table-rows").textContent().trim());
  }

  /** The rows of every table, as the preview adds them up. */
  public long totalRows() {
    return Long.parseLong(page.locator("#total-rows").textContent().trim());
  }

  /** Confirms; back on the Nodes page with the outcome. */
  public NodesPage confirm() {
    page.locator("#confirm").click();
    page.waitForURL("**/nodes**");
    return new NodesPage(page);
  }

  /**
   * Asks the node to reload only this table ("Reload this table only"); back on the Nodes page with
   * the outcome.
   */
  public NodesPage reloadTableOnly(String table) {
    page.locator("#reload-table-" + table + " button").click();
    page.waitForURL("**/nodes**");
    return new NodesPage(page);
  }
}
