package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static dev.ballast.gateway.TestGateway.chat;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.simulator.Attempt;
import dev.ballast.simulator.Simulator;
import dev.ballast.simulator.SimulatorServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resilience chain against the simulator over real sockets: what the client receives, and how
 * many attempts the upstream saw and when. Each fault has its own deployment so the tests do not
 * share breakers.
 */
class ResilienceChainTest {
  @TempDir static Path dataDir;
  static Gateway gateway;
  static Simulator simulator;
  static SimulatorServer upstream;
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    // The simulator runs as its own server: every fault crosses a real socket and the OpenAI
    // adapter's timeouts and error mapping, as it would from a real provider.
    simulator = Simulator.create();
    upstream = simulator.server(0);
    String yaml =
        """
        server: {port: 0}
        resilience:
          deadline: 20s
          breaker: {window: 4, failure_rate: 50, open_wait: 60s}
        providers:
          sim: {type: simulator, base_url: "%s"}
        deployments:
          ok: {provider: sim, model: "sim"}
          ok2: {provider: sim, model: "sim:tokens=5"}
          rl-after: {provider: sim, model: "sim:status=429,retry_after=2"}
          rl: {provider: sim, model: "sim:status=429"}
          once500: {provider: sim, model: "sim:fail_first=1@500"}
          reset: {provider: sim, model: "sim:reset"}
          silent: {provider: sim, model: "sim:silence", timeouts: {first_token: 500ms}}
          silent2: {provider: sim, model: "sim:silence,tokens=3", timeouts: {first_token: 500ms}}
          ctx: {provider: sim, model: "sim:context_length"}
          policy: {provider: sim, model: "sim:content_policy"}
          broken: {provider: sim, model: "sim:status=500"}
          down-for-stream: {provider: sim, model: "sim:status=503,tokens=4"}
          cut-at-once: {provider: sim, model: "sim:cut_after=0"}
          stall: {provider: sim, model: "sim:stall_after=2", timeouts: {idle: 500ms}}
          malformed: {provider: sim, model: "sim:malformed_chunk"}
          no-done: {provider: sim, model: "sim:no_done"}
          slow-first: {provider: sim, model: "sim:first_token_delay=5s", timeouts: {first_token: 500ms}}
        groups:
          rate-limited-retry-after: {deployments: [rl-after]}
          rate-limited: {deployments: [rl]}
          rate-limited-with-fallback: {deployments: [rl], fallbacks: [healthy]}
          healthy: {deployments: [ok]}
          once500: {deployments: [once500]}
          reset: {deployments: [reset, ok]}
          silent: {deployments: [silent]}
          silent-with-fallback: {deployments: [silent2, ok2]}
          small: {deployments: [ctx], larger_context: healthy}
          policy: {deployments: [policy, ok]}
          broken: {deployments: [broken]}
          stream-down: {deployments: [down-for-stream, ok]}
          stream-cut-at-once: {deployments: [cut-at-once, ok]}
          stream-stall: {deployments: [stall], continue_streams: false}
          stream-malformed: {deployments: [malformed]}
          stream-no-done: {deployments: [no-done]}
          stream-slow-first: {deployments: [slow-first, ok]}
        admins: [team]   # reads the node's breakers in /v1/ballast/status
        tenants:
          team: {keys: ["%s"]}
        """
            .formatted(
                upstream.baseUri().toString().replaceAll("/$", "") + "/v1",
                ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse("resilience", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  private static HttpResponse<String> call(String model, String... headers) {
    return send(chat(model, false), headers);
  }

  private static HttpResponse<String> stream(String model) {
    return send(chat(model, true));
  }

  private static HttpResponse<String> send(String body, String... headers) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
              .header("authorization", "Bearer " + KEY)
              .POST(HttpRequest.BodyPublishers.ofString(body));
      for (int i = 0; i < headers.length; i += 2) {
        request.header(headers[i], headers[i + 1]);
      }
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Attempt> attempts(String upstreamModel) {
    return simulator.attempts(upstreamModel);
  }

  private static List<JournalEvent.ProviderAttempt> journaled(HttpResponse<?> response) {
    gateway.journal().flush(Duration.ofSeconds(10));
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
    return gateway.store().journal().events(runId).stream()
        .map(JournalEntry::event)
        .filter(JournalEvent.ProviderAttempt.class::isInstance)
        .map(JournalEvent.ProviderAttempt.class::cast)
        .toList();
  }

  @Test
  void honoursRetryAfterOnTheSameDeploymentWhenItFitsTheDeadline() {
    HttpResponse<String> response = call("rate-limited-retry-after");

    List<Attempt> seen = attempts("sim:status=429,retry_after=2");
    assertThat(seen).hasSize(2);
    assertThat(Duration.between(seen.get(0).at(), seen.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1800));
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("retry-after")).isPresent();
  }

  @Test
  void neverHammersAPersistentlyRateLimitedDeployment() {
    long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    int requests = 0;
    while (System.nanoTime() < end && requests < 30) {
      assertThat(call("rate-limited").statusCode()).isEqualTo(429);
      requests++;
    }

    assertThat(requests).isGreaterThan(5);
    assertThat(attempts("sim:status=429")).hasSizeLessThanOrEqualTo(4);
  }

  @Test
  void aRateLimitedDeploymentFailsOverToTheFallbackGroup() {
    HttpResponse<String> response = call("rate-limited-with-fallback");

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void a500OnceThenHealthyIsAnsweredByTheSameDeployment() {
    HttpResponse<String> response = call("once500");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(attempts("sim:fail_first=1@500"))
        .extracting(Attempt::outcome)
        .containsExactly("500", "ok");
    assertThat(journaled(response))
        .extracting(JournalEvent.ProviderAttempt::decision)
        .containsExactly("retry", "answered");
  }

  @Test
  void aResetBeforeHeadersIsAnswered() {
    HttpResponse<String> response = call("reset");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(journaled(response))
        .last()
        .extracting(JournalEvent.ProviderAttempt::deployment)
        .isEqualTo("ok");
  }

  @Test
  void aSilentProviderEndsWithinTheDeadlineAndIsNotRetriedOnTheSameRoute() {
    int before = attempts("sim:silence").size();
    long start = System.nanoTime();

    HttpResponse<String> response = call("silent", "x-ballast-deadline-ms", "3000");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(attempts("sim:silence")).hasSize(before + 1);
  }

  @Test
  void aSilentProviderFailsOverWithinTheFirstTokenLimit() {
    long start = System.nanoTime();

    HttpResponse<String> response = call("silent-with-fallback");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(journaled(response))
        .extracting(JournalEvent.ProviderAttempt::outcome)
        .containsExactly("silence", "ok");
  }

  @Test
  void contextLengthGoesToTheLargerContextGroupWithoutRetryingTheSameModel() {
    HttpResponse<String> response = call("small");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(attempts("sim:context_length")).hasSize(1);
    assertThat(journaled(response))
        .extracting(JournalEvent.ProviderAttempt::decision)
        .containsExactly("larger_context:healthy", "answered");
  }

  @Test
  void contentPolicyIsNotRetriedAndTheReasonReachesTheClient() {
    HttpResponse<String> response = call("policy");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/code").asText())
        .isEqualTo("content_policy_violation");
    assertThat(json(response.body()).at("/error/message").asText()).isNotBlank();
    assertThat(attempts("sim:content_policy")).hasSize(1);
  }

  @Test
  void aFailingDeploymentOpensItsBreakerAndIsSkipped() {
    List<HttpResponse<String>> tripping = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      tripping.add(call("broken"));
    }
    gateway.journal().flush(Duration.ofSeconds(10));
    assertThat(tripping)
        .flatExtracting(
            r ->
                gateway
                    .store()
                    .journal()
                    .events(r.headers().firstValue("x-ballast-run-id").orElseThrow()))
        .extracting(JournalEntry::event)
        .filteredOn(JournalEvent.BreakerTransition.class::isInstance)
        .containsExactly(new JournalEvent.BreakerTransition("broken", "closed", "open"));
    int seen = attempts("sim:status=500").size();

    HttpResponse<String> response = call("broken");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(json(response.body()).at("/error/code").asText())
        .isEqualTo("no_deployment_available");
    assertThat(attempts("sim:status=500")).hasSize(seen);
    HttpResponse<String> status = get("/v1/ballast/status");
    assertThat(json(status.body()).at("/deployments/broken/breaker").asText()).isEqualTo("open");
  }

  @Test
  void aStreamFailsOverInvisiblyBeforeItsFirstToken() {
    HttpResponse<String> response = stream("stream-down");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"finish_reason\":\"stop\"")
        .endsWith("data: [DONE]\n\n")
        .doesNotContain("\"error\"");
    // Failover before retry: the healthy fallback is tried before the failing one again.
    assertThat(journaled(response))
        .extracting(JournalEvent.ProviderAttempt::deployment)
        .containsExactly("down-for-stream", "ok");
  }

  @Test
  void aStreamCutBeforeAnyTokenIsRestartedOnTheFallback() {
    HttpResponse<String> response = stream("stream-cut-at-once");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
  }

  @Test
  void aStalledStreamEndsWithAnErrorAndTheGatewayStaysHealthy() {
    long start = System.nanoTime();

    HttpResponse<String> response = stream("stream-stall");

    // Idle timeout 500 ms, deadline 20 s: a stall noticed only at the deadline fails this bound.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(response.body())
        .contains("\"content\"")
        .contains("stream_stall")
        .doesNotContain("[DONE]");
    assertThat(call("healthy").statusCode()).isEqualTo(200);
  }

  @Test
  void aMalformedChunkIsDroppedAndRecorded() {
    HttpResponse<String> response = stream("stream-malformed");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
    assertThat(journaled(response).getLast().repairs()).contains("malformed_chunk_dropped");
  }

  @Test
  void aStreamWithoutDoneIsFinalizedWithUsage() {
    HttpResponse<String> response =
        send(
            chat("stream-no-done", true)
                .replace(
                    "\"stream\":true",
                    "\"stream\":true,\"stream_options\":{\"include_usage\":true}"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"completion_tokens\"").endsWith("data: [DONE]\n\n");
    assertThat(journaled(response).getLast().repairs()).contains("missing_stream_terminator");
  }

  @Test
  void aSlowFirstTokenFailsOverWithinTheFirstTokenLimit() {
    long start = System.nanoTime();

    HttpResponse<String> response = stream("stream-slow-first");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(journaled(response))
        .extracting(JournalEvent.ProviderAttempt::outcome)
        .containsExactly("slow_first_token", "ok");
  }

  @Test
  void aPlainCallWhoseBodyIsLateAfterTheHeadersFailsOverWithinTheFirstTokenLimit() {
    long start = System.nanoTime();

    HttpResponse<String> response = call("stream-slow-first");

    assertThat(response.statusCode()).isEqualTo(200);
    // The late body would arrive after 5 s; the first-token timeout is 500 ms.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(journaled(response))
        .extracting(JournalEvent.ProviderAttempt::outcome)
        .containsExactly("silence", "ok");
  }

  @Test
  void aBadPriorityOrDeadlineHeaderIsA400() {
    assertThat(call("healthy", "x-ballast-priority", "urgent").statusCode()).isEqualTo(400);
    assertThat(call("healthy", "x-ballast-deadline-ms", "soon").statusCode()).isEqualTo(400);
    assertThat(call("healthy", "x-ballast-priority", "batch").statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> get(String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
              .header("authorization", "Bearer " + KEY)
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
