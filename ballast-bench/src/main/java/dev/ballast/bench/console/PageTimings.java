package dev.ballast.bench.console;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How long the console's pages take in Debian's Chromium: from navigation to the page's data on
 * screen (the runs table's rows, the 501 rows of the waterfall, the overview's charts).
 */
final class PageTimings {
  private static final int LOADS = 5;
  private final String base;
  private final String key;
  private final int runs;

  PageTimings(String base, String key, int runs) {
    this.base = base;
    this.key = key;
    this.runs = runs;
  }

  List<ConsoleLoadBenchmark.Timing> measure() {
    List<ConsoleLoadBenchmark.Timing> timings = new ArrayList<>();
    try (Playwright playwright =
        Playwright.create(
            new Playwright.CreateOptions()
                // Never a browser download: none is reachable; Debian's Chromium is used.
                .setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
      Browser browser =
          playwright
              .chromium()
              .launch(
                  new BrowserType.LaunchOptions()
                      .setExecutablePath(Path.of("/usr/bin/chromium"))
                      .setHeadless(true)
                      .setArgs(
                          List.of(
                              "--headless",
                              "--no-sandbox",
                              "--disable-gpu",
                              "--disable-quic",
                              "--no-first-run",
                              "--disable-background-networking",
                              "--disable-component-update",
                              "--disable-sync")));
      timings.add(
          page(
              browser,
              "Runs (50 of 1,000,000)",
              "#/runs",
              "[data-testid=runs-table] tbody tr >> nth=49"));
      timings.add(
          page(
              browser,
              "Run detail, 501-node waterfall",
              "#/runs/" + ConsoleSeeder.TREE_RUN,
              "[data-testid=waterfall] li >> nth=500"));
      timings.add(
          page(
              browser,
              "Overview, 7 days by group",
              "#/overview?window=7d",
              "[data-testid=charts] canvas >> nth=6"));
      timings.add(
          page(
              browser,
              "Overview, 1 hour by deployment",
              "#/overview?window=1h&by=deployment",
              "[data-testid=charts] canvas >> nth=6"));
      browser.close();
    }
    return timings;
  }

  private ConsoleLoadBenchmark.Timing page(
      Browser browser, String what, String hash, String selector) {
    double[] samples = new double[LOADS];
    for (int i = 0; i < LOADS + 1; i++) {
      var context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
      // Signed in as the console does it: the key and role in this tab's sessionStorage.
      context.addInitScript(
          "sessionStorage.setItem('ballast.key', '"
              + key
              + "'); sessionStorage.setItem('ballast.role', 'admin');"
              + " sessionStorage.setItem('ballast.tenant', 'dev');");
      Page page = context.newPage();
      page.setDefaultTimeout(120_000);
      long t = System.nanoTime();
      page.navigate(base + "/ui/" + hash);
      page.waitForSelector(
          selector, new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED));
      double ms = (System.nanoTime() - t) / 1e6;
      if (i > 0) {
        samples[i - 1] = ms;
      }
      context.close();
    }
    var timing = new ConsoleLoadBenchmark.Timing(what, samples, "first load discarded");
    System.err.printf("page %s: p50 %.0f ms%n", what, timing.p50());
    return timing;
  }
}
