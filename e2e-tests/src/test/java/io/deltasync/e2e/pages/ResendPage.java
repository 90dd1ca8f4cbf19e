package io.deltasync.e2e.pages;

import com.microsoft.playwright.Page;

/** {@code /actions/resend}: choose the seq, preview how many deltas go again, confirm. */
public final class ResendPage extends ConsolePage {

  ResendPage(Page page) {
    super(page);
  }

  /** Previews a re-send of every delta after the seq. */
  public ResendPage from(long seq) {
    page.locator("#from-seq").fill(String.valueOf(seq));
    page.locator("#preview-button").click();
    page.waitForURL("**fromSeq=" + seq + "**");
    return this;
  }

  /** The peer's lastPushed the page shows. */
  public long lastPushed() {
    return Long.parseLong(page.locator("#last-pushed").textContent().trim());
  }

  /** How many deltas the preview says go again. */
  public long count() {
    return Long.parseLong(page.locator("#resend-count").textContent().trim());
  }

  /** Confirms; back on the Nodes page with the outcome. */
  public NodesPage confirm() {
    page.locator("#confirm").click();
    page.waitForURL("**/nodes**");
    return new NodesPage(page);
  }
}
