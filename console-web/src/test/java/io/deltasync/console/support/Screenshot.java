package io.deltasync.console.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Takes a PNG of a console page with Debian's headless Chromium ({@code /usr/bin/chromium}): the
 * page is loaded by a logged-in {@link Browser}, saved with its stylesheet pointing at the running
 * console, and rendered from the file, so Chromium needs no login.
 */
public final class Screenshot {

  /** Where Debian installs Chromium ({@code apt-get install -y chromium}). */
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private Screenshot() {}

  /** Whether Chromium is there to take screenshots. */
  public static boolean available() {
    return Files.isExecutable(CHROMIUM);
  }

  /** Renders the page at {@code path} as the browser's user sees it into a PNG. */
  public static void take(Browser browser, int port, String path, Path png)
      throws IOException, InterruptedException {
    String html =
        browser
            .get(path)
            .body()
            .replace("href=\"/css/", "href=\"http://localhost:" + port + "/css/")
            .replaceAll("<meta[^>]*http-equiv=\"refresh\"[^>]*>", "");
    Path page = Files.createTempFile("console-page", ".html");
    Files.writeString(page, html);
    Files.createDirectories(png.toAbsolutePath().getParent());
    Process chromium =
        new ProcessBuilder(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                "--window-size=1280,640",
                "--screenshot=" + png.toAbsolutePath(),
                page.toUri().toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("chromium did not finish within 60 s");
      }
    } finally {
      chromium.destroyForcibly();
      Files.deleteIfExists(page);
    }
  }
}
