package io.deltasync.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

/** {@code /login}: the form, and the messages after a failed login or a logout. */
public final class LoginPage {

  private final Page page;

  LoginPage(Page page) {
    this.page = page;
  }

  /** Opens the login page. */
  public static LoginPage open(Page page) {
    page.navigate("/login");
    return new LoginPage(page);
  }

  /** The page as it is now (after a redirect to it). */
  public static LoginPage current(Page page) {
    return new LoginPage(page);
  }

  /** Logs in, expecting to land on the Nodes page. */
  public NodesPage logIn(String user, String password) {
    submit(user, password);
    page.waitForURL(url -> !url.contains("/login"));
    return new NodesPage(page);
  }

  /** Submits the form, expecting to stay on the login page. */
  public LoginPage logInRefused(String user, String password) {
    submit(user, password);
    page.waitForURL("**/login?error");
    return this;
  }

  /** The error shown after a refused login. */
  public Locator error() {
    return page.locator("#login-error");
  }

  /** The message shown after logging out. */
  public Locator loggedOut() {
    return page.locator("#logged-out");
  }

  /** The login form. */
  public Locator form() {
    return page.locator("#login-form");
  }

  private void submit(String user, String password) {
    page.locator("#username").fill(user);
    page.locator("#password").fill(password);
    page.locator("#login").click();
  }
}
