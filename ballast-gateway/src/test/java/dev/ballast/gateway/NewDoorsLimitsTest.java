package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Responses and legacy completions doors count against their tenant's limits as chat does;
 * token counting calls no model and is not admitted against them.
 */
class NewDoorsLimitsTest {
  private static final String KEY = "k-rpm";

  @TempDir static Path dataDir;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          sim: {provider: sim, model: sim}
        groups:
          default: {deployments: [sim]}
        tenants:
          rpm: {keys: ["%s"], limits: {requests_per_minute: 2}}
        """
            .formatted(ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse("limits", yaml, Map.of());
    gw = new TestGateway(Gateway.start(config.withServer(config.server().withDataDir(dataDir))));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void responsesAndCompletionsShareTheTenantsRequestsPerMinuteAndCountTokensDoesNot() {
    assertThat(
            gw.post("/v1/responses", KEY, "{\"model\":\"default\",\"input\":\"1\"}").statusCode())
        .isEqualTo(200);
    assertThat(
            gw.post("/v1/completions", KEY, "{\"model\":\"default\",\"prompt\":\"2\"}")
                .statusCode())
        .isEqualTo(200);

    HttpResponse<String> third =
        gw.post("/v1/responses", KEY, "{\"model\":\"default\",\"input\":\"3\"}");
    HttpResponse<String> counted =
        gw.post(
            "/v1/messages/count_tokens",
            KEY,
            "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"4\"}]}");

    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(json(third.body()).at("/error/code").asText())
        .isEqualTo("tenant_requests_per_minute_exceeded");
    assertThat(third.headers().firstValue("retry-after")).isPresent();
    assertThat(counted.statusCode()).isEqualTo(200);
  }
}
