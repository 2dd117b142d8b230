package dev.ballast.console;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's Chromium driven by Playwright: the system browser at {@code /usr/bin/chromium}, never a
 * download (none is reachable from these machines). One browser per test class; a context per test,
 * so sessionStorage (where the console keeps the key) starts empty.
 */
final class BrowserSession implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final List<String> ARGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync");

  private final Playwright playwright;
  final Browser browser;

  BrowserSession() {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new IllegalStateException(
          "Chromium is not installed at "
              + CHROMIUM
              + ": run scripts/test.sh (it installs Debian's chromium) or apt-get install -y"
              + " chromium");
    }
    playwright =
        Playwright.create(
            new Playwright.CreateOptions()
                // Never a browser download: none is reachable; Debian's Chromium is used.
                .setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(ARGS));
  }

  /** A new page in a fresh context of the given size. */
  Page page(int width, int height) {
    return browser
        .newContext(new Browser.NewContextOptions().setViewportSize(width, height))
        .newPage();
  }

  static void screenshot(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
