package io.deltasync.e2e.pages;

import com.microsoft.playwright.Page;

/** {@code /actions/shipping}: what pausing or resuming shipping to a peer stops or starts. */
public final class ShippingPage extends ConsolePage {

  ShippingPage(Page page) {
    super(page);
  }

  /** The routes and feed it names. */
  public String routes() {
    return page.locator("#routes").textContent().trim();
  }

  /** Confirms; back on the Nodes page. */
  public NodesPage confirm() {
    page.locator("#confirm").click();
    page.waitForURL("**/nodes**");
    return new NodesPage(page);
  }
}
