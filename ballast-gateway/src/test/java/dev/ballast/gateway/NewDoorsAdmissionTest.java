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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Responses and legacy completions doors count against their tenant's limits as chat does;
 * token counting calls no model and is not admitted against them. A managed key's model list holds
 * on every door.
 */
class NewDoorsAdmissionTest {
  private static final String KEY = "k-rpm";
  private static final String OPS = "k-ops";

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
          other: {deployments: [sim]}
        tenants:
          rpm: {keys: ["%s"], limits: {requests_per_minute: 2}}
          ops: {keys: ["%s"]}
        admins: [ops]
        """
            .formatted(ConfigLoader.hashKey(KEY), ConfigLoader.hashKey(OPS));
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

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/v1/responses | {\"model\":\"default\",\"input\":\"x\"} | error.code",
        "/v1/completions | {\"model\":\"default\",\"prompt\":\"x\"} | error.code",
        "/v1/messages/count_tokens | {\"model\":\"default\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"x\"}]} | error.type",
      })
  void aManagedKeyCallsOnlyItsModelGroupsOnEveryDoor(String path, String body, String field) {
    HttpResponse<String> created =
        gw.post("/v1/ballast/keys", OPS, "{\"tenant\":\"ops\",\"models\":[\"other\"]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String key = json(created.body()).get("key").asText();

    HttpResponse<String> response = gw.post(path, key, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(json(response.body()).at("/" + field.replace('.', '/')).asText())
        .isIn("model_not_allowed", "permission_error");
  }
}
