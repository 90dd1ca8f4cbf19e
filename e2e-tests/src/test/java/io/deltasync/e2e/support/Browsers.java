package io.deltasync.e2e.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One headless Chromium per test JVM, Debian's own ({@code /usr/bin/chromium}), driven by
 * Playwright without downloading a browser. Closed when the JVM exits.
 */
public final class Browsers {

  /** Where Debian installs Chromium; {@code ./run-tests.sh} installs it when it is missing. */
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private static Playwright playwright;
  private static Browser browser;

  private Browsers() {}

  /** The shared browser, launched on first use. */
  public static synchronized Browser browser() {
    if (browser == null) {
      if (!Files.isExecutable(CHROMIUM)) {
        throw new IllegalStateException(
            "The browser tests need Debian's Chromium at "
                + CHROMIUM
                + ": install it with 'apt-get install -y chromium' (./run-tests.sh does this)");
      }
      playwright =
          Playwright.create(
              new Playwright.CreateOptions()
                  .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
      browser =
          playwright
              .chromium()
              .launch(
                  new BrowserType.LaunchOptions()
                      .setExecutablePath(CHROMIUM)
                      .setHeadless(true)
                      .setArgs(
                          List.of(
                              "--no-sandbox",
                              "--disable-gpu",
                              "--disable-background-networking",
                              "--disable-component-update",
                              "--disable-sync",
                              "--no-first-run",
                              "--disable-quic")));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    browser.close();
                    playwright.close();
                  },
                  "e2e-browser-close"));
    }
    return browser;
  }
}
