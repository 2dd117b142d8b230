package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saturated deployment sheds batch traffic with the gateway's own 429; interactive waits. */
class PriorityBulkheadTest {
  @TempDir Path dataDir;

  @Test
  void batchRequestsAreShedWithRetryAfterWhileTheDeploymentIsSaturated() throws Exception {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          narrow: {provider: sim, model: "sim:latency=1500ms", max_concurrent: 1}
        groups:
          narrow: {deployments: [narrow]}
        tenants:
          team: {keys: ["%s"]}
        """
            .formatted(ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse("bulkhead", yaml, Map.of());
    HttpClient http = HttpClient.newHttpClient();
    try (Gateway gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)))) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
              .header("authorization", "Bearer " + KEY)
              .POST(HttpRequest.BodyPublishers.ofString(TestGateway.chat("narrow", false)));
      CompletableFuture<HttpResponse<String>> holder =
          http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> gateway.simulator().attempts("sim:latency=1500ms").size() == 1);

      HttpResponse<String> batch =
          http.send(
              request.copy().header("x-ballast-priority", "batch").build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(batch.statusCode()).isEqualTo(429);
      assertThat(json(batch.body()).at("/error/code").asText()).isEqualTo("gateway_overloaded");
      assertThat(batch.headers().firstValue("retry-after")).isPresent();
      CompletableFuture<HttpResponse<String>> interactive =
          http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(holder.get().statusCode()).isEqualTo(200);
      assertThat(interactive.get().statusCode()).isEqualTo(200);
      assertThat(gateway.simulator().attempts("sim:latency=1500ms")).hasSize(2);
    }
  }
}
