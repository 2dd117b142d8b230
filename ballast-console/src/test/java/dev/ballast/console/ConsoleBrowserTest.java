package dev.ballast.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in Debian's Chromium against a real node, every page on data made by real calls in
 * this test: gateway calls of two tenants, pipeline runs (one dies at its webhook and is resumed
 * from the UI), a what-if replay started from the UI and the diff it links to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
  @TempDir static Path dir;

  private ConsoleFixture node;
  private ConsoleSeed seed;
  private BrowserSession chromium;
  private final List<Page> pages = new ArrayList<>();

  @BeforeAll
  void start() {
    // Like the PostgreSQL tests: skipped on a machine without the browser, required under CI.
    Assumptions.assumeTrue(
        Files.isExecutable(BrowserSession.CHROMIUM) || "true".equals(System.getenv("CI")),
        "Debian's chromium is not installed (scripts/test.sh installs it)");
    // Waits, not time limits: on a loaded machine a search embeds its query with the local model
    // and a page may take seconds; a test fails on what the page shows, not on how fast.
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
    node = new ConsoleFixture(dir, "sqlite:");
    seed = ConsoleSeed.plant(node);
    chromium = new BrowserSession();
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @AfterEach
  void closePages() {
    pages.forEach(p -> p.context().close());
    pages.clear();
  }

  private Page open(int width, int height) {
    Page page = chromium.page(width, height);
    page.setDefaultTimeout(30_000);
    pages.add(page);
    return page;
  }

  /** Signs in through the form, as an operator does, and lands on the overview. */
  private Page signedIn(String key) {
    Page page = open(1280, 800);
    page.navigate(node.url("/ui/"));
    page.getByLabel("Virtual key").fill(key);
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName("Sign in"))
        .click();
    assertThat(page.getByTestId("whoami")).isVisible();
    return page;
  }

  private void go(Page page, String hash) {
    page.navigate(node.url("/ui/#/" + hash));
  }

  private static String enc(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  @Test
  void signingInShowsTheCallersTenantAndRole() {
    Page page = open(1280, 800);
    page.navigate(node.url("/ui/"));
    BrowserSession.screenshot(page, "signin");
    page.getByLabel("Virtual key").fill(ConsoleFixture.ADMIN_KEY);
    page.keyboard().press("Enter");

    assertThat(page.getByTestId("whoami")).hasText("dev · admin");
    assertThat(page.locator("h1")).hasText("Overview");
  }

  @Test
  void aBadKeyIsRefusedInWords() {
    Page page = open(1280, 800);
    page.navigate(node.url("/ui/"));
    page.getByLabel("Virtual key").fill("bk-not-a-key");
    page.keyboard().press("Enter");

    assertThat(page.getByTestId("signin-error"))
        .containsText("That key was refused: Incorrect API key provided");
    assertThat(page.getByTestId("whoami")).hasCount(0);
  }

  @Test
  void theOverviewChartsTheTenantsCallsPerGroupAndDeployment() {
    Page page = signedIn(ConsoleFixture.ACME_KEY);
    go(page, "overview?window=1h&by=group");

    Locator table = page.locator("table").first();
    assertThat(table).containsText("failover");
    assertThat(table).containsText("stream");
    assertThat(page.getByTestId("charts").locator("canvas")).hasCount(7);
    // Watch runs on the node (the default) and the fixture's traffic is too short to alert on.
    assertThat(page.getByTestId("alerts-strip")).containsText("No open alerts.");
    BrowserSession.screenshot(page, "overview");

    go(page, "overview?window=1h&by=deployment");
    assertThat(page.locator("table").first()).containsText("down");
    assertThat(page.locator("table").first()).containsText("server_error");
    assertThat(page.locator("table").first()).not().containsText("globex");
  }

  @Test
  void theRunListPagesWithACursorAndFilters() {
    Page page = signedIn(ConsoleFixture.ADMIN_KEY);
    go(page, "runs?limit=25");
    Locator table = page.getByTestId("runs-table");
    assertThat(table).containsText(seed.globexChat());
    assertThat(table).containsText(seed.acmeChat());
    BrowserSession.screenshot(page, "runs");

    go(page, "runs?limit=2&tenant=acme");
    assertThat(page.getByTestId("runs-meta")).containsText("2 runs on this page");
    String firstPage = page.getByTestId("runs-table").innerText();
    page.getByTestId("next-page").click();
    assertThat(page.getByTestId("runs-table")).not().hasText(firstPage);
    assertThat(page.getByTestId("runs-table")).not().containsText(seed.globexChat());

    go(page, "runs?status=dead");
    assertThat(page.getByTestId("runs-table")).containsText(seed.dead());
  }

  @Test
  void aRunDrawsItsTreeAndShowsANodesAttributesAndPayloads() {
    Page page = signedIn(ConsoleFixture.ACME_KEY);
    go(page, "runs/" + enc(seed.acmeFailover()));

    // The failing deployment once, then straight to the healthy one (failover before retry).
    Locator attempts = page.locator("[data-kind=provider_attempt]");
    assertThat(attempts).hasCount(2);
    attempts.first().click();
    assertThat(page.getByTestId("node-detail")).containsText("down");
    assertThat(page.getByTestId("node-detail")).containsText("server_error");
    page.keyboard().press("ArrowDown");
    assertThat(attempts.nth(1)).hasAttribute("aria-selected", "true");

    page.locator("[data-kind=call]").first().click();
    assertThat(page.getByTestId("node-detail").getByTestId("payload").first())
        .containsText("fail over please");
    BrowserSession.screenshot(page, "run-detail");
  }

  @Test
  void aWhatIfStartedFromTheUiLinksItsNewRunAndTheDiffNamesTheFirstDivergence() {
    Page page = signedIn(ConsoleFixture.ACME_KEY);
    go(page, "runs/" + enc(seed.digest()));
    assertThat(page.locator("[data-kind=stage]")).hasCount(2);

    page.getByTestId("replay").click();
    assertThat(page.getByTestId("replay-outcome")).hasText("IDENTICAL");

    page.getByTestId("what-if").getByLabel("Model group").selectOption("large");
    page.getByTestId("what-if").getByRole(com.microsoft.playwright.options.AriaRole.BUTTON).click();
    assertThat(page.locator("#confirm")).isVisible();
    page.locator("#confirm-ok").click();
    assertThat(page.getByTestId("replay-outcome")).hasText("DIVERGED");
    BrowserSession.screenshot(page, "what-if");

    page.getByTestId("diff-link").click();
    assertThat(page.getByTestId("diff-verdict")).containsText("First divergence");
    Locator first = page.locator("tr.first-divergence");
    assertThat(first).hasCount(1);
    assertThat(first).containsText("no");
    BrowserSession.screenshot(page, "diff");
  }

  @Test
  void aDeadRunIsResumedFromThePipelinesPageAfterConfirmation() {
    Page page = signedIn(ConsoleFixture.ACME_KEY);
    go(page, "pipelines");
    assertThat(page.getByTestId("pipelines-table")).containsText("notify");
    Locator dead = page.getByTestId("dead-runs");
    assertThat(dead).containsText(seed.dead());
    assertThat(dead).containsText("answered 500");
    BrowserSession.screenshot(page, "pipelines");

    node.webhookStatus.set(200);
    dead.getByTestId("resume").first().click();
    assertThat(page.locator("#confirm-text")).containsText(seed.dead());
    page.locator("#confirm-ok").click();
    assertThat(page.locator("#toast")).containsText("resumed");

    JsonNode run = node.awaitState(ConsoleFixture.ACME_KEY, seed.dead(), "succeeded");
    assertThat(run.get("state").asText()).isEqualTo("succeeded");
    go(page, "pipelines");
    assertThat(page.getByTestId("no-dead")).isVisible();
  }

  @Test
  void deploymentsShowBreakersBudgetsAndTheRecentOutcomeMixLive() {
    // Breakers and budgets are node-wide: an administrator's to see (docs/security.md).
    Page tenant = signedIn(ConsoleFixture.ACME_KEY);
    go(tenant, "deployments");
    assertThat(tenant.getByTestId("tenant-scope")).isVisible();
    Page page = signedIn(ConsoleFixture.ADMIN_KEY);
    go(page, "deployments");
    Locator down =
        page.getByTestId("deployments")
            .locator("tbody tr", new Locator.LocatorOptions().setHasText("down"));
    // The failover calls tried the failing deployment until its breaker opened.
    assertThat(down).containsText(Pattern.compile("0 ok, server_error \\d+"));
    assertThat(down).containsText("→open");
    assertThat(down.locator(".badge")).hasText(Pattern.compile("closed|open|half_open"));
    String before = page.getByTestId("live").innerText();
    assertThat(page.getByTestId("live"))
        .not()
        .hasText(before, new LocatorAssertions.HasTextOptions().setTimeout(30_000));
    BrowserSession.screenshot(page, "deployments");
  }

  @Test
  void collectionsSearchAPinnedGenerationAndMemoryReadsAsOfAVersion() {
    Page page = signedIn(ConsoleFixture.ACME_KEY);
    go(page, "collections");
    Locator generations = page.getByTestId("generations");
    assertThat(generations.locator("tbody tr")).hasCount(2);

    page.getByLabel("Query").fill("open breaker skips its deployment");
    page.getByLabel("Pinned generation").selectOption("1");
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName("Search"))
        .click();
    assertThat(page.getByTestId("search-results")).containsText("Generation 1");
    assertThat(page.getByTestId("search-results")).containsText("breakers.md");
    page.getByLabel("Pinned generation").selectOption("");
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName("Search"))
        .click();
    assertThat(page.getByTestId("search-results")).containsText("Generation 2");
    assertThat(page.getByTestId("search-results")).not().containsText("breakers.md");

    go(page, "collections?conversation=c1&version=1");
    assertThat(page.getByTestId("memory")).containsText("teal");
    assertThat(page.getByTestId("memory")).not().containsText("Lisbon");
    go(page, "collections?conversation=c1");
    assertThat(page.getByTestId("memory")).containsText("Lisbon");
    BrowserSession.screenshot(page, "collections");
  }

  @Test
  void theAlertsPageListsWatchsAlertsOpenAndResolved() {
    Page page = signedIn(ConsoleFixture.ACME_KEY);
    go(page, "alerts");
    assertThat(page.locator("h2").first()).containsText("Open (0)");
    assertThat(page.getByTestId("alerts-off")).hasCount(0);
    BrowserSession.screenshot(page, "alerts");
  }

  @Test
  void anOpenAlertShowsItsNumbersAndOpensTheDiffOfItsLastGoodAndFirstBadRuns() {
    // The pinned deployment (expect: {model: pin}) starts answering as another model: Watch opens
    // model_changed at that first answer, on a deployment series only an administrator reads.
    String good = node.chat(ConsoleFixture.ADMIN_KEY, "pinned", "hello", false);
    node.gateway.simulator().switchTo("pin", "model_id=pin-2024-12-01");
    try {
      String bad = node.chat(ConsoleFixture.ADMIN_KEY, "pinned", "hello", false);
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(
              () ->
                  node.send("GET", "/v1/ballast/alerts?state=open", ConsoleFixture.ADMIN_KEY, null)
                      .body()
                      .contains("deployment:pinned"));
      Page page = signedIn(ConsoleFixture.ADMIN_KEY);
      go(page, "alerts");
      Locator row = page.locator("tr", new Page.LocatorOptions().setHasText("deployment:pinned"));
      assertThat(row).containsText("pin-2024-12-01");
      assertThat(row).containsText(good);
      assertThat(row).containsText(bad);
      BrowserSession.screenshot(page, "alerts-open");
      row.getByText("diff").click();
      assertThat(page.getByTestId("diff-table")).containsText("pin-2024-12-01");
      // A tenant's key does not see the deployment's alert.
      Page tenant = signedIn(ConsoleFixture.ACME_KEY);
      go(tenant, "alerts");
      assertThat(tenant.locator("h2").first()).containsText("Open (0)");
    } finally {
      node.gateway.simulator().switchTo("pin", "");
    }
  }

  @Test
  void aTenantCannotOpenAnotherTenantsRunByUrl() {
    Page page = signedIn(ConsoleFixture.GLOBEX_KEY);
    go(page, "runs/" + enc(seed.acmeChat()));
    assertThat(page.locator(".error")).containsText("404");
    assertThat(page.locator(".error")).containsText("No run with id");
    assertThat(page.getByTestId("run-id")).hasCount(0);

    go(page, "runs");
    assertThat(page.getByTestId("runs-table")).containsText(seed.globexChat());
    assertThat(page.getByTestId("runs-table")).not().containsText(seed.acmeChat());
  }

  @Test
  void theAdministratorReadsAnotherTenantsRunButStartsNothingForIt() {
    Page page = signedIn(ConsoleFixture.ADMIN_KEY);
    go(page, "runs/" + enc(seed.acmeChat()));

    assertThat(page.getByTestId("run-summary")).containsText("acme");
    assertThat(page.getByTestId("waterfall").locator("li")).not().hasCount(0);
    assertThat(page.getByTestId("other-tenant")).containsText("belongs to tenant acme");
    assertThat(page.getByTestId("replay")).hasCount(0);
  }

  @Test
  void atPhoneWidthThePageDoesNotScrollSideways() {
    Page page = signedIn(ConsoleFixture.ADMIN_KEY);
    page.setViewportSize(390, 844);
    go(page, "runs");
    assertThat(page.getByTestId("runs-table")).isVisible();
    Object overflow =
        page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
    assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
    BrowserSession.screenshot(page, "runs-phone");
  }

  @Test
  void theNavigationIsReachableByKeyboard() {
    Page page = signedIn(ConsoleFixture.ACME_KEY);
    page.locator("nav a", new Page.LocatorOptions().setHasText("Pipelines")).focus();
    page.keyboard().press("Enter");
    assertThat(page.locator("h1")).hasText("Pipelines");
    assertThat(page.locator("nav a[aria-current=page]")).hasText("Pipelines");
    assertThat(page).hasURL(Pattern.compile(".*#/pipelines$"));
  }
}
