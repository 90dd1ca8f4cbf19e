package io.deltasync.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.util.ArrayList;
import java.util.List;

/** {@code /deltas/{seq}}: one delta decoded. */
public final class DeltaPage extends ConsolePage {

  DeltaPage(Page page) {
    super(page);
  }

  /** The delta's SQL. */
  public String sql() {
    return page.locator("#delta-sql").textContent().trim();
  }

  /** Each parameter as "TYPE value", in order. */
  public List<String> params() {
    List<String> params = new ArrayList<>();
    Locator rows = page.locator("#delta-params tbody tr");
    for (int i = 0; i < rows.count(); i++) {
      Locator row = rows.nth(i);
      params.add(
          row.locator(".param-type").textContent().trim()
              + " "
              + row.locator(".param-value").textContent().trim());
    }
    return params;
  }

  /** A field of the delta by its id on the page ({@code origin}, {@code table}, ...). */
  public String field(String name) {
    return page.locator("#delta-" + name).textContent().trim();
  }
}
