package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.testkit.Postgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A retried request with the same Idempotency-Key never reaches a provider twice. */
class IdempotencyTest {
  private static final String KEY = "bk-idem";
  private static final String MODEL = "sim:latency=400ms";
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  private static Gateway start(Path dataDir, String storeUrl) {
    String yaml =
        """
        server: {port: 0}
        store: {url: "%s"}
        providers:
          sim: {type: simulator}
        deployments:
          slow: {provider: sim, model: "%s"}
        groups:
          default: {deployments: [slow]}
        tenants:
          team: {keys: ["%s"]}
        """
            .formatted(storeUrl, MODEL, ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse("idempotency", yaml, Map.of());
    return Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
  }

  private HttpResponse<String> call(Gateway gateway, String key, String prompt, boolean stream)
      throws Exception {
    String body =
        "{\"model\":\"default\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\""
            + prompt
            + "\"}]}";
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .header("authorization", "Bearer " + KEY)
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<HttpResponse<String>> concurrently(List<Gateway> gateways, int requests, String key)
      throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        Gateway g = gateways.get(i % gateways.size());
        futures.add(pool.submit(() -> call(g, key, "same question", false)));
      }
      List<HttpResponse<String>> responses = new ArrayList<>();
      for (Future<HttpResponse<String>> f : futures) {
        responses.add(f.get());
      }
      return responses;
    }
  }

  @Test
  void concurrentRetriesWithOneKeyMakeOneUpstreamCallAndGetTheSameAnswer() throws Exception {
    try (Gateway gateway = start(dir, "sqlite:")) {
      List<HttpResponse<String>> responses = concurrently(List.of(gateway), 20, "order-42");

      assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
      assertThat(responses.stream().map(HttpResponse::body).distinct()).hasSize(1);
      assertThat(
              responses.stream()
                  .map(r -> r.headers().firstValue("x-ballast-run-id").orElseThrow())
                  .distinct())
          .hasSize(1);
      assertThat(gateway.simulator().attempts(MODEL)).hasSize(1);
      assertThat(
              call(gateway, "order-42", "same question", false)
                  .headers()
                  .firstValue("x-ballast-idempotent-replayed"))
          .contains("true");
      assertThat(gateway.simulator().attempts(MODEL)).hasSize(1);
    }
  }

  @Test
  void aKeyReusedForADifferentRequestIsRefused() throws Exception {
    try (Gateway gateway = start(dir, "sqlite:")) {
      assertThat(call(gateway, "k", "first", false).statusCode()).isEqualTo(200);

      HttpResponse<String> reused = call(gateway, "k", "second", false);

      assertThat(reused.statusCode()).isEqualTo(422);
      assertThat(json(reused.body()).at("/error/code").asText())
          .isEqualTo("idempotency_key_reused");
    }
  }

  @Test
  void aStreamingRequestWithAKeyIsAClearError() throws Exception {
    try (Gateway gateway = start(dir, "sqlite:")) {
      HttpResponse<String> response = call(gateway, "k", "stream", true);

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(json(response.body()).at("/error/param").asText()).isEqualTo("Idempotency-Key");
    }
  }

  @Test
  void twoNodesOnOnePostgresMakeOneUpstreamCallForOneKey() throws Exception {
    String base = Postgres.requireAvailable();
    String schema =
        "ballast_idem_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    String url = base + "&schema=" + schema;
    try (Gateway a = start(dir.resolve("a"), url);
        Gateway b = start(dir.resolve("b"), url)) {
      List<HttpResponse<String>> responses = concurrently(List.of(a, b), 20, "invoice-7");

      assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
      assertThat(responses.stream().map(HttpResponse::body).distinct()).hasSize(1);
      assertThat(a.simulator().attempts(MODEL).size() + b.simulator().attempts(MODEL).size())
          .isEqualTo(1);
    } finally {
      Postgres.dropSchema(base, schema);
    }
  }
}
