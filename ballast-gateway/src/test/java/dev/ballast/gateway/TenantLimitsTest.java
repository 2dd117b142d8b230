package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.JournalEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-key limits are enforced before any upstream call, with clear 429 and 402 errors. */
class TenantLimitsTest {
  @TempDir static Path dataDir;
  static Gateway gateway;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          priced: {provider: sim, model: sim, price: {input: 1000, output: 1000}}
        groups:
          default: {deployments: [priced]}
        tenants:
          rpm: {keys: ["%s"], limits: {requests_per_minute: 2}}
          tpm: {keys: ["%s"], limits: {tokens_per_minute: 30}}
          budget: {keys: ["%s"], limits: {budget_usd: 0.05}}
        """
            .formatted(
                ConfigLoader.hashKey("k-rpm"),
                ConfigLoader.hashKey("k-tpm"),
                ConfigLoader.hashKey("k-budget"));
    BallastConfig config = ConfigLoader.parse("limits", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static HttpResponse<String> call(String key, String prompt) throws Exception {
    return call(key, prompt, null);
  }

  private static HttpResponse<String> call(String key, String prompt, Integer maxTokens)
      throws Exception {
    String body =
        "{\"model\":\"default\","
            + (maxTokens == null ? "" : "\"max_tokens\":" + maxTokens + ",")
            + "\"messages\":[{\"role\":\"user\",\"content\":\""
            + prompt
            + "\"}]}";
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .header("authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void requestsPerMinuteAreLimitedWithRetryAfterAndTheRefusalIsJournaled() throws Exception {
    assertThat(call("k-rpm", "one").statusCode()).isEqualTo(200);
    assertThat(call("k-rpm", "two").statusCode()).isEqualTo(200);
    int before = gateway.simulator().attempts("sim").size();

    HttpResponse<String> third = call("k-rpm", "three");

    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(json(third.body()).at("/error/code").asText())
        .isEqualTo("tenant_requests_per_minute_exceeded");
    assertThat(json(third.body()).at("/error/message").asText())
        .contains("tenants.rpm.limits.requests_per_minute");
    assertThat(third.headers().firstValue("retry-after")).isPresent();
    assertThat(gateway.simulator().attempts("sim")).hasSize(before);
    gateway.journal().flush(Duration.ofSeconds(5));
    String runId = third.headers().firstValue("x-ballast-run-id").orElseThrow();
    assertThat(gateway.store().journal().events(runId))
        .extracting(e -> e.event().typeName())
        .containsExactly("RunStarted", "RunFailed");
    assertThat(
            ((JournalEvent.RunFailed) gateway.store().journal().events(runId).get(1).event())
                .httpStatus())
        .isEqualTo(429);
  }

  @Test
  void tokensPerMinuteCountTheInputBeforeTheCall() throws Exception {
    HttpResponse<String> response = call("k-tpm", "word ".repeat(40));

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(json(response.body()).at("/error/code").asText())
        .isEqualTo("tenant_tokens_per_minute_exceeded");
  }

  @Test
  void aSpentBudgetIsA402() throws Exception {
    assertThat(call("k-budget", "spend it", 4).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = null;
    for (int i = 0; i < 20 && refused == null; i++) {
      HttpResponse<String> r = call("k-budget", "again", 4);
      refused = r.statusCode() == 200 ? null : r;
    }

    assertThat(refused).isNotNull();
    assertThat(refused.statusCode()).isEqualTo(402);
    assertThat(json(refused.body()).at("/error/code").asText()).isEqualTo("budget_exceeded");
  }

  /**
   * Without max_tokens a call reserves the tenant's reserve_output_tokens at the output price: at
   * USD 1000 per million tokens, 1024 tokens is more than this tenant's whole budget.
   */
  @Test
  void aCallWhoseReservationExceedsTheBudgetLeftIsA402BeforeAnyUpstreamCall() throws Exception {
    int before = gateway.simulator().attempts("sim").size();

    HttpResponse<String> refused = call("k-budget", "no max_tokens");

    assertThat(refused.statusCode()).isEqualTo(402);
    assertThat(json(refused.body()).at("/error/message").asText())
        .contains("tenants.budget.limits.reserve_output_tokens")
        .contains("tenants.budget.limits.budget_usd");
    assertThat(gateway.simulator().attempts("sim")).hasSize(before);
  }
}
