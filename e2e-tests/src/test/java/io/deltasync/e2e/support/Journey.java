package io.deltasync.e2e.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Tracing;
import io.deltasync.e2e.pages.LoginPage;
import io.deltasync.e2e.pages.NodesPage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every journey has: the shared {@link E2eSystem}, a fresh browser context (its own session)
 * per test with a Playwright trace that is kept only when the test fails ({@code
 * target/e2e/traces/}), the browser's console errors, and {@link #screenshot} of the final state
 * ({@code target/e2e/screenshots/}).
 */
@ExtendWith(Journey.KeepTraceOnFailure.class)
public abstract class Journey {

  protected static E2eSystem system;

  protected BrowserContext browser;
  protected Page page;
  protected final List<String> consoleErrors = new ArrayList<>();
  private String testName;

  @BeforeAll
  static void startSystem() {
    system = E2eSystem.shared();
  }

  @BeforeEach
  void openBrowser(TestInfo info) {
    testName =
        getClass().getSimpleName()
            + "-"
            + info.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test");
    browser =
        Browsers.browser()
            .newContext(
                new Browser.NewContextOptions()
                    .setBaseURL(system.consoleUrl())
                    .setViewportSize(1280, 900));
    browser.setDefaultTimeout(15_000);
    browser
        .tracing()
        .start(
            new Tracing.StartOptions().setScreenshots(true).setSnapshots(true).setSources(false));
    page = browser.newPage();
    page.onConsoleMessage(
        message -> {
          if (message.type().equals("error")) {
            consoleErrors.add(page.url() + ": " + message.text());
          }
        });
    page.onPageError(error -> consoleErrors.add(page.url() + ": " + error));
  }

  @AfterEach
  void closeBrowser() {
    browser.close();
  }

  /** Logs in through the login page as the user. */
  protected NodesPage logIn(String user, String password) {
    return LoginPage.open(page).logIn(user, password);
  }

  /** Logs in as the ADMIN. */
  protected NodesPage logInAsAdmin() {
    return logIn(E2eSystem.ADMIN, E2eSystem.ADMIN_PASSWORD);
  }

  /** Resumes shipping from the hub to each peer shown PAUSED (a journey's clean-up). */
  protected void resumeShippingIfPaused(String... peers) {
    for (String peer : peers) {
      NodesPage nodes = NodesPage.open(page);
      if (nodes.shipping(E2eSystem.HUB, peer).textContent().contains("PAUSED")) {
        nodes.resume(peer).confirm();
      }
    }
  }

  /**
   * Saves a full-page PNG of what the browser shows now, as {@code
   * target/e2e/screenshots/<name>.png}.
   */
  protected Path screenshot(String name) {
    Path png = E2eSettings.work().resolve("screenshots").resolve(name + ".png");
    page.screenshot(new Page.ScreenshotOptions().setPath(png).setFullPage(true));
    return png;
  }

  /** Copies a screenshot to the repository's docs, where the README shows it. */
  protected static void publish(Path png, String docsName) {
    Path docs = E2eSettings.docs();
    if (!Files.isDirectory(docs)) {
      return; // not run from a checkout of the repository
    }
    try {
      Files.copy(png, docs.resolve(docsName), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Saves the test's trace when it failed and drops it otherwise. */
  static final class KeepTraceOnFailure implements AfterTestExecutionCallback {
    @Override
    public void afterTestExecution(ExtensionContext context) {
      Journey journey = (Journey) context.getRequiredTestInstance();
      Tracing.StopOptions options = new Tracing.StopOptions();
      if (context.getExecutionException().isPresent()) {
        Path trace = E2eSettings.work().resolve("traces").resolve(journey.testName + ".zip");
        options.setPath(trace);
      }
      journey.browser.tracing().stop(options);
    }
  }
}
