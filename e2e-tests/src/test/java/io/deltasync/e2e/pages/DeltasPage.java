package io.deltasync.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.SelectOption;
import java.util.List;

/** {@code /deltas}: the deltas the hub holds, filtered, newest first. */
public final class DeltasPage extends ConsolePage {

  DeltasPage(Page page) {
    super(page);
  }

  /** Opens the Deltas page unfiltered. */
  public static DeltasPage open(Page page) {
    page.navigate("/deltas");
    return new DeltasPage(page);
  }

  /** Filters by the peer they are pending for, origin and table; empty text means any. */
  public DeltasPage filter(String pendingFor, String origin, String table) {
    page.locator("#filter-peer").selectOption(new SelectOption().setValue(pendingFor));
    page.locator("#filter-origin").fill(origin);
    page.locator("#filter-table").fill(table);
    page.locator("#filter-apply").click();
    page.waitForLoadState();
    return this;
  }

  /** The row of the delta with this seq here. */
  public Locator row(long seq) {
    return page.locator("#delta-" + seq);
  }

  /** The seqs listed, in page order. */
  public List<Long> seqs() {
    return page.locator("#deltas tbody .delta-seq").allTextContents().stream()
        .map(text -> Long.parseLong(text.trim()))
        .toList();
  }

  /** The tables of the listed deltas, in page order. */
  public List<String> tables() {
    return page.locator("#deltas tbody .delta-table").allTextContents();
  }

  /** The origins of the listed deltas, in page order. */
  public List<String> origins() {
    return page.locator("#deltas tbody .delta-origin").allTextContents();
  }

  /** The "no delta matches" row. */
  public Locator none() {
    return page.locator("#no-deltas");
  }

  /** Opens a listed delta's detail. */
  public DeltaPage open(long seq) {
    row(seq).locator(".delta-seq").click();
    page.waitForURL("**/deltas/" + seq);
    return new DeltaPage(page);
  }
}
