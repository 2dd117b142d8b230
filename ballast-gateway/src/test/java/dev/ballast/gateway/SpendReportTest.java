package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/ballast/spend} over a real socket: the spend of real calls through the gateway,
 * grouped, adding up to the costs their answers stated, scoped by role.
 */
class SpendReportTest {
  @TempDir static Path dataDir;
  static Gateway gateway;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static String managedKeyId;
  static double acmeCost;
  static double globexCost;

  @BeforeAll
  static void start() {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          priced: {provider: sim, model: sim, price: {input: 1000, output: 2000}}
        groups:
          default: {deployments: [priced]}
          other: {deployments: [priced]}
        admins: [root]
        tenants:
          root: {keys: ["%s"]}
          acme: {keys: ["%s"]}
          globex: {keys: ["%s"]}
        """
            .formatted(
                ConfigLoader.hashKey("k-root"),
                ConfigLoader.hashKey("k-acme"),
                ConfigLoader.hashKey("k-globex"));
    BallastConfig config = ConfigLoader.parse("spend", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
    JsonNode key = json(send("POST", "/v1/ballast/keys", "k-root", "{\"tenant\":\"acme\"}").body());
    managedKeyId = key.path("id").asText();
    acmeCost += chat("k-acme", "default");
    acmeCost += chat("k-acme", "other");
    acmeCost += chat(key.path("key").asText(), "default");
    globexCost += chat("k-globex", "default");
    gateway.journal().flush(Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void anAdministratorSeesEveryTenantsSpendAddingUpToTheAnswersCosts() {
    JsonNode report = spend("k-root", "group_by=tenant");

    assertThat(report.path("object").asText()).isEqualTo("spend_report");
    assertThat(report.path("group_by").asText()).isEqualTo("tenant");
    Map<String, JsonNode> rows = rows(report);
    assertThat(rows.keySet()).containsExactlyInAnyOrder("acme", "globex");
    assertThat(rows.get("acme").path("requests").asLong()).isEqualTo(3);
    assertThat(rows.get("acme").path("cost_usd").asDouble()).isCloseTo(acmeCost, within(1e-9));
    assertThat(rows.get("globex").path("cost_usd").asDouble()).isCloseTo(globexCost, within(1e-9));
    assertThat(rows.get("acme").path("input_tokens").asLong()).isPositive();
    assertThat(rows.get("acme").path("output_tokens").asLong()).isPositive();
    assertThat(report.at("/totals/requests").asLong()).isEqualTo(4);
    assertThat(report.at("/totals/cost_usd").asDouble())
        .isCloseTo(acmeCost + globexCost, within(1e-9));
  }

  @Test
  void aTenantSeesOnlyItsOwnSpend() {
    assertThat(rows(spend("k-acme", "group_by=tenant")).keySet()).containsExactly("acme");
    Map<String, JsonNode> perModel = rows(spend("k-globex", "group_by=model"));
    assertThat(perModel.keySet()).containsExactly("default");
    assertThat(perModel.get("default").path("requests").asLong()).isEqualTo(1);

    HttpResponse<String> other = send("GET", "/v1/ballast/spend?tenant=globex", "k-acme", null);
    assertThat(other.statusCode()).isEqualTo(403);
  }

  @Test
  void perKeyTheManagedKeysCallsAreApart() {
    Map<String, JsonNode> rows = rows(spend("k-acme", "group_by=key"));

    assertThat(rows.keySet()).containsExactlyInAnyOrder(managedKeyId, "(none)");
    assertThat(rows.get(managedKeyId).path("requests").asLong()).isEqualTo(1);
    assertThat(rows.get("(none)").path("requests").asLong()).isEqualTo(2);
  }

  @Test
  void aWindowWithoutCallsIsEmptyAndBadParametersAreNamed() {
    JsonNode old = spend("k-root", "since=2020-01-01T00:00:00Z&until=2020-01-02T00:00:00Z");
    assertThat(old.path("rows")).isEmpty();
    assertThat(old.at("/totals/requests").asLong()).isZero();
    assertThat(rows(spend("k-root", "since=" + enc("PT1H") + "&group_by=pipeline")))
        .containsOnlyKeys("(none)");

    assertBadParameter("group_by=colour", "group_by");
    assertBadParameter("since=yesterday", "since");
    assertBadParameter("until=12:00", "until");
    assertBadParameter("since=1h&until=2h", "since");
  }

  private static void assertBadParameter(String query, String param) {
    HttpResponse<String> r = send("GET", "/v1/ballast/spend?" + query, "k-root", null);
    assertThat(r.statusCode()).as(query).isEqualTo(400);
    assertThat(json(r.body()).at("/error/param").asText()).isEqualTo(param);
    assertThat(json(r.body()).at("/error/message").asText()).contains("'" + param + "'");
  }

  private static Map<String, JsonNode> rows(JsonNode report) {
    Map<String, JsonNode> rows = new HashMap<>();
    report
        .path("rows")
        .forEach(r -> rows.put(r.path("group").isNull() ? "(none)" : r.path("group").asText(), r));
    return rows;
  }

  private static JsonNode spend(String key, String query) {
    HttpResponse<String> r = send("GET", "/v1/ballast/spend?" + query, key, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r.body());
  }

  private static double chat(String key, String model) {
    HttpResponse<String> r =
        send("POST", "/v1/chat/completions", key, TestGateway.chat(model, false));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Double.parseDouble(r.headers().firstValue("x-ballast-cost-usd").orElseThrow());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> send(String method, String path, String key, String body) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
              .header("authorization", "Bearer " + key)
              .header("content-type", "application/json")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
