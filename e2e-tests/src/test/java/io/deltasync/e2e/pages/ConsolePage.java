package io.deltasync.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

/** What every page of the console has: the menu, the logged-in user, messages, logout. */
public abstract class ConsolePage {

  protected final Page page;

  ConsolePage(Page page) {
    this.page = page;
  }

  /** The page's main heading. */
  public Locator heading() {
    return page.locator("main h1");
  }

  /** The message an action left ({@code #message}). */
  public Locator message() {
    return page.locator("#message");
  }

  /** The error an action left ({@code #error}). */
  public Locator error() {
    return page.locator("#error");
  }

  /** The logged-in user's name in the menu. */
  public Locator userName() {
    return page.locator("#user-name");
  }

  /** Logs out with the menu's button. */
  public LoginPage logOut() {
    page.locator("#logout").click();
    page.waitForURL("**/login?logout");
    return LoginPage.current(page);
  }

  public Page page() {
    return page;
  }
}
