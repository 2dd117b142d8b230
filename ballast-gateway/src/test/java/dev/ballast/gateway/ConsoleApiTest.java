package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API the console reads, over real sockets: run list pages, the administrator's view across
 * tenants and a tenant's view of its own (one Roles check), the aggregate endpoints and whoami.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleApiTest {
  static final String ADMIN = "bk-console-api-admin";
  static final String ACME = "bk-console-api-acme";
  static final String GLOBEX = "bk-console-api-globex";

  @TempDir static Path dir;
  Gateway gateway;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final List<String> acmeRuns = new ArrayList<>();
  String globexRun;

  @BeforeAll
  void start() {
    String yaml =
        """
        server: {port: 0}
        store: {url: "sqlite:"}
        providers:
          sim: {type: simulator}
        deployments:
          sim: {provider: sim, model: sim, price: {input: 1.0, output: 2.0}}
          down: {provider: sim, model: "sim:status=503"}
        groups:
          default: {deployments: [sim]}
          failover: {deployments: [down, sim]}
        collections:
          docs: {}
        admins: [dev]
        tenants:
          dev: {keys: ["%s"]}
          acme: {keys: ["%s"]}
          globex: {keys: ["%s"]}
        """
            .formatted(
                ConfigLoader.hashKey(ADMIN),
                ConfigLoader.hashKey(ACME),
                ConfigLoader.hashKey(GLOBEX));
    BallastConfig config = ConfigLoader.parse("console-api", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dir)));
    for (int i = 0; i < 5; i++) {
      acmeRuns.add(chat(ACME, i == 4 ? "failover" : "default"));
    }
    globexRun = chat(GLOBEX, "default");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get("/v1/ballast/runs?limit=100", ADMIN).body().contains(globexRun));
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  @Test
  void pagesOfTheRunListFollowTheirCursorToTheLastRunOnce() {
    List<String> seen = new ArrayList<>();
    String path = "/v1/ballast/runs?limit=2";
    while (true) {
      JsonNode page = json(get(path, ACME));
      page.get("data").forEach(r -> seen.add(r.get("id").asText()));
      if (!page.get("has_more").asBoolean()) {
        assertThat(page.get("next_cursor").isNull()).isTrue();
        break;
      }
      path = "/v1/ballast/runs?limit=2&after=" + page.get("next_cursor").asText();
    }
    assertThat(seen).containsExactlyElementsOf(acmeRuns.reversed());
  }

  @Test
  void aCursorThisApiDidNotGiveOutIsA400NamingAfter() {
    HttpResponse<String> r = get("/v1/ballast/runs?after=not-a-cursor", ACME);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("error").get("param").asText()).isEqualTo("after");
  }

  @Test
  void theAdministratorListsEveryTenantOrTheOneItNames() {
    JsonNode all = json(get("/v1/ballast/runs?limit=100", ADMIN));
    JsonNode globex = json(get("/v1/ballast/runs?limit=100&tenant=globex", ADMIN));

    assertThat(all.get("data")).hasSize(6);
    assertThat(globex.get("data")).hasSize(1);
    assertThat(globex.get("data").get(0).get("id").asText()).isEqualTo(globexRun);
  }

  @Test
  void aTenantKeyThatNamesAnotherTenantIsRefused() {
    HttpResponse<String> r = get("/v1/ballast/runs?tenant=globex", ACME);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).get("error").get("code").asText()).isEqualTo("tenant_not_allowed");
    assertThat(get("/v1/ballast/stats?tenant=globex", ACME).statusCode()).isEqualTo(403);
  }

  @Test
  void theAdministratorReadsAnyRunAndATenantOnlyItsOwn() {
    assertThat(get("/v1/ballast/runs/" + globexRun, ADMIN).statusCode()).isEqualTo(200);
    assertThat(get("/v1/ballast/runs/" + globexRun + "/trace", ADMIN).statusCode()).isEqualTo(200);
    assertThat(get("/v1/ballast/runs/" + globexRun, ACME).statusCode()).isEqualTo(404);
    assertThat(get("/v1/ballast/runs/" + globexRun + "/trace", ACME).statusCode()).isEqualTo(404);
  }

  @Test
  void whoamiNamesTheCallersTenantAndRole() {
    assertThat(json(get("/v1/ballast/whoami", ADMIN)).get("role").asText()).isEqualTo("admin");
    JsonNode acme = json(get("/v1/ballast/whoami", ACME));
    assertThat(acme.get("tenant").asText()).isEqualTo("acme");
    assertThat(acme.get("role").asText()).isEqualTo("tenant");
    assertThat(get("/v1/ballast/whoami", "bk-nope").statusCode()).isEqualTo(401);
  }

  @Test
  void statsPerGroupCountTheTenantsRunsInColumns() {
    JsonNode stats = json(get("/v1/ballast/stats?window=15m&by=group", ACME));

    assertThat(stats.get("tenant").asText()).isEqualTo("acme");
    int buckets = stats.get("buckets").size();
    assertThat(buckets).isBetween(90, 91);
    JsonNode def = series(stats, "default");
    assertThat(def.get("requests")).hasSize(buckets);
    assertThat(def.get("totals").get("requests").asLong()).isEqualTo(4);
    assertThat(def.get("totals").get("errors").asLong()).isZero();
    assertThat(def.get("totals").get("cost").asDouble()).isPositive();
  }

  @Test
  void statsPerDeploymentCountEveryAttemptWithItsErrorClass() {
    JsonNode stats = json(get("/v1/ballast/stats?window=1h&by=deployment", ACME));

    JsonNode down = series(stats, "down");
    assertThat(down.get("totals").get("errors_by_class").get("server_error").asLong()).isPositive();
    assertThat(series(stats, "sim").get("totals").get("requests").asLong()).isEqualTo(5);
  }

  @Test
  void statsRefuseAWindowOrDimensionTheyDoNotKnowNamingIt() {
    HttpResponse<String> window = get("/v1/ballast/stats?window=30d", ACME);
    HttpResponse<String> by = get("/v1/ballast/stats?by=tenant", ACME);

    assertThat(window.statusCode()).isEqualTo(400);
    assertThat(json(window).get("error").get("param").asText()).isEqualTo("window");
    assertThat(by.statusCode()).isEqualTo(400);
    assertThat(json(by).get("error").get("param").asText()).isEqualTo("by");
  }

  @Test
  void generationsOfAnUnknownCollectionAreA404NamingTheConfiguredOnes() {
    HttpResponse<String> r = get("/v1/collections/nope/generations", ACME);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).get("error").get("message").asText()).contains("docs");
    assertThat(json(get("/v1/collections/docs/generations", ACME)).get("data")).isEmpty();
  }

  private static JsonNode series(JsonNode stats, String name) {
    for (JsonNode s : stats.get("series")) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no series " + name + " in " + stats);
  }

  private String chat(String key, String group) {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .header("authorization", "Bearer " + key)
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\""
                            + group
                            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("x-ballast-run-id").orElseThrow();
  }

  private HttpResponse<String> get(String path, String key) {
    return send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("authorization", "Bearer " + key)
            .GET()
            .build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> r) {
    return TestGateway.json(r.body());
  }
}
