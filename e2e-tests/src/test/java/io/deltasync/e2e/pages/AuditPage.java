package io.deltasync.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** {@code /audit}: every admin action, newest first. */
public final class AuditPage extends ConsolePage {

  AuditPage(Page page) {
    super(page);
  }

  /** Opens the Audit page. */
  public static AuditPage open(Page page) {
    page.navigate("/audit");
    return new AuditPage(page);
  }

  /** The newest entry of the action. */
  public Locator newest(String action) {
    return page.locator("#audit tbody tr")
        .filter(
            new Locator.FilterOptions()
                .setHas(page.locator(".audit-action:text-is('" + action + "')")))
        .first();
  }

  /** A cell of an entry: user, action, peer, target, rows, forced, outcome, message. */
  public static String cell(Locator entry, String name) {
    return entry.locator(".audit-" + name).textContent().trim();
  }

  /** When the entry was made, as the page shows it (ISO 8601). */
  public static Instant when(Locator entry) {
    String text = entry.locator("td").nth(1).textContent().trim();
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ"))
          .toInstant();
    }
  }
}
