package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.RunStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call that dies with an {@link Error} inside an attempt still gives back its bulkhead slot and
 * breaker permit, and its run still ends. Regression: a {@code response_format} schema that refers
 * to itself threw {@code StackOverflowError} during validation; the attempt loop released its slot
 * only on {@code RuntimeException}, so every such request leaked one, and after {@code
 * max_concurrent} of them the deployment refused every tenant with {@code gateway_overloaded}.
 */
class PermitReleaseTest {
  private static final int SLOTS = 2;

  @TempDir Path dataDir;

  @Test
  void anErrorInsideAnAttemptLeaksNoSlotAndEndsTheRun() throws Exception {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          sim: {provider: sim, model: sim, max_concurrent: %d}
        groups:
          default: {deployments: [sim]}
        tenants:
          team: {keys: ["%s"]}
        """
            .formatted(SLOTS, ConfigLoader.hashKey(TestGateway.KEY));
    BallastConfig config = ConfigLoader.parse("permits", yaml, Map.of());
    try (Gateway gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String selfReferencing =
          """
          {"model":"default","messages":[{"role":"user","content":"hi"}],
           "response_format":{"type":"json_schema",
             "json_schema":{"name":"loop","schema":{"$ref":"#"}}}}""";
      List<String> runIds = new ArrayList<>();
      for (int i = 0; i < SLOTS * 2; i++) {
        HttpResponse<String> bad = post(http, gateway, selfReferencing);
        assertThat(bad.statusCode()).as(bad.body()).isNotEqualTo(200).isLessThan(600);
        bad.headers().firstValue("x-ballast-run-id").ifPresent(runIds::add);
      }

      HttpResponse<String> good = post(http, gateway, TestGateway.chat("default", false));
      assertThat(good.statusCode()).as(good.body()).isEqualTo(200);

      HttpResponse<String> status = get(http, gateway, "/v1/ballast/status");
      assertThat(TestGateway.json(status.body()).at("/deployments/sim/in_flight").asInt()).isZero();
      assertThat(gateway.journal().flush(Duration.ofSeconds(10))).isTrue();
      for (String runId : runIds) {
        assertThat(gateway.store().journal().findRun(runId).orElseThrow().status())
            .isNotEqualTo(RunStatus.RUNNING);
      }
    }
  }

  private static HttpResponse<String> post(HttpClient http, Gateway gateway, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(20))
            .header("authorization", "Bearer " + TestGateway.KEY)
            .header("content-type", "application/json")
            .header("x-ballast-deadline-ms", "5000")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(HttpClient http, Gateway gateway, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("authorization", "Bearer " + TestGateway.KEY)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
