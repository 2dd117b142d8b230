package dev.ballast.gateway;

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
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code Idempotency-Key} keeps answers, not transient failures: a retryable failure (5xx, 429)
 * releases the key so the client's retry runs again; a success or a non-retryable client error is
 * recorded and replayed.
 */
class IdempotencyKeepsAnswersTest {
  private static final String KEY = "bk-idem-keep";
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  private Gateway start() {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          flaky: {provider: sim, model: "sim:fail_first=1@503"}
          limited: {provider: sim, model: "sim:fail_first=1@429"}
          refusing: {provider: sim, model: "sim:fail_first=1@400"}
        groups:
          flaky: {deployments: [flaky]}
          limited: {deployments: [limited]}
          refusing: {deployments: [refusing]}
        tenants:
          team: {keys: ["%s"]}
        resilience:
          max_retries_per_deployment: 0
          cooldown: 10ms
        """
            .formatted(ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse("idempotency-keeps", yaml, Map.of());
    return Gateway.start(config.withServer(config.server().withDataDir(dir)));
  }

  private HttpResponse<String> call(Gateway gateway, String model, String key) throws Exception {
    String body =
        "{\"model\":\""
            + model
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"the same question\"}]}";
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .header("authorization", "Bearer " + KEY)
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(Gateway gateway) {
    try {
      return call(gateway, "limited", "order-2");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aServerErrorReleasesTheKeySoTheRetryRunsAndItsAnswerIsKept() throws Exception {
    try (Gateway gateway = start()) {
      HttpResponse<String> failed = call(gateway, "flaky", "order-1");
      assertThat(failed.statusCode()).as(failed.body()).isGreaterThanOrEqualTo(500);

      HttpResponse<String> retried = call(gateway, "flaky", "order-1");
      assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
      assertThat(retried.headers().firstValue("x-ballast-idempotent-replayed")).isEmpty();

      HttpResponse<String> again = call(gateway, "flaky", "order-1");
      assertThat(again.headers().firstValue("x-ballast-idempotent-replayed")).contains("true");
      assertThat(again.body()).isEqualTo(retried.body());
      assertThat(gateway.simulator().attempts("sim:fail_first=1@503")).hasSize(2);
    }
  }

  @Test
  void aRateLimitReleasesTheKey() throws Exception {
    try (Gateway gateway = start()) {
      HttpResponse<String> limited = call(gateway, "limited", "order-2");
      assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);

      // The client retries with the same key until the deployment's cooldown (the upstream's
      // Retry-After) is over; every refusal in between is transient too and releases the key.
      AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> last.updateAndGet(r -> send(gateway)).statusCode() == 200);
      HttpResponse<String> retried = last.get();
      assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
      assertThat(retried.headers().firstValue("x-ballast-idempotent-replayed")).isEmpty();
      assertThat(gateway.simulator().attempts("sim:fail_first=1@429")).hasSize(2);
    }
  }

  @Test
  void aNonRetryableClientErrorIsKeptAndReplayed() throws Exception {
    try (Gateway gateway = start()) {
      HttpResponse<String> refused = call(gateway, "refusing", "order-3");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);

      HttpResponse<String> again = call(gateway, "refusing", "order-3");
      assertThat(again.statusCode()).isEqualTo(400);
      assertThat(again.headers().firstValue("x-ballast-idempotent-replayed")).contains("true");
      assertThat(gateway.simulator().attempts("sim:fail_first=1@400")).hasSize(1);
    }
  }
}
