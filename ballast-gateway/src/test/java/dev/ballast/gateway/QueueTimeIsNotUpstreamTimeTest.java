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

/**
 * Queue time is not upstream time: an interactive call that waited in a saturated deployment's
 * bulkhead until too little of its deadline was left to be worth sending is shed by the gateway
 * (429 {@code gateway_overloaded} with Retry-After), never sent upstream with the rest, and never
 * counted against the deployment's breaker.
 */
class QueueTimeIsNotUpstreamTimeTest {
  private static final String MODEL = "sim:latency=1500ms";
  @TempDir Path dataDir;

  @Test
  void aBulkheadWaitThatLeavesLessThanTheMinimumAttemptTimeIsShedNotSentUpstream()
      throws Exception {
    // Breaker trips on a single failure, so one timeout counted against it would open it.
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          narrow: {provider: sim, model: "%s", max_concurrent: 1}
        groups:
          narrow: {deployments: [narrow]}
        tenants:
          team: {keys: ["%s"]}
        resilience:
          min_attempt_time: 1s
          breaker: {window: 1, failure_rate: 1}
        """
            .formatted(MODEL, ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse("queue-time", yaml, Map.of());
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
          .until(() -> gateway.simulator().attempts(MODEL).size() == 1);

      // The slot frees after ~1.5 s, leaving this call ~0.5 s of its 2 s: less than the 1 s
      // minimum, so it must not go upstream (where it would time out and trip the breaker).
      HttpResponse<String> waited =
          http.send(
              request.copy().header("x-ballast-deadline-ms", "2000").build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(waited.statusCode()).as(waited.body()).isEqualTo(429);
      assertThat(json(waited.body()).at("/error/code").asText()).isEqualTo("gateway_overloaded");
      assertThat(waited.headers().firstValue("retry-after")).isPresent();
      assertThat(holder.get().statusCode()).isEqualTo(200);
      assertThat(gateway.simulator().attempts(MODEL)).hasSize(1);
      HttpResponse<String> after = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(after.statusCode())
          .as("the breaker stayed closed: " + after.body())
          .isEqualTo(200);
    }
  }
}
