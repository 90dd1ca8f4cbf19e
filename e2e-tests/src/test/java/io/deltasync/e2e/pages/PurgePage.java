package io.deltasync.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

/** {@code /actions/purge}: the preview of what a purge deletes, then the confirmation. */
public final class PurgePage extends ConsolePage {

  PurgePage(Page page) {
    super(page);
  }

  /** How many deltas the preview says the purge deletes. */
  public long count() {
    return Long.parseLong(page.locator("#purge-count").textContent().trim());
  }

  /** The highest seq the purge deletes. */
  public long upToSeq() {
    return Long.parseLong(page.locator("#purge-up-to").textContent().trim());
  }

  /** The row naming a peer that still needs some of the deltas, if any. */
  public Locator stillNeededBy(String peer) {
    return page.locator("#needed-" + peer);
  }

  /** The note that no peer needs any of them. */
  public Locator noPeerNeeds() {
    return page.locator("#no-peer-needs");
  }

  /** Confirms the purge; back on the Deltas page with the outcome. */
  public DeltasPage confirm() {
    page.locator("#confirm").click();
    page.waitForURL("**/deltas**");
    return new DeltasPage(page);
  }
}
