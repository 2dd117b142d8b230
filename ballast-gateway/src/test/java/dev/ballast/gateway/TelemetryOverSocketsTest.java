package dev.ballast.gateway;

import static dev.ballast.gateway.OtlpCollector.hex;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.telemetry.BallastMetrics;
import dev.ballast.telemetry.JournalSpans;
import dev.ballast.testkit.PrometheusText;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Telemetry of a running node over real sockets: {@code /metrics} as a Prometheus server scrapes
 * it, spans as an OpenTelemetry collector receives them, and the W3C {@code traceparent} that joins
 * a call to its caller's trace.
 */
class TelemetryOverSocketsTest {
  private static final String KEY = "bk-telemetry";
  private static final String UPSTREAM_MODEL = "sim:tokens=8";
  // Generous: a pipeline run's spans are derived from the store once its last event is written,
  // retried while another part of its journal is still on the way (docs/cluster.md).
  private static final Duration WAIT = Duration.ofSeconds(45);

  @TempDir Path dataDir;
  private final OtlpCollector collector = new OtlpCollector();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Gateway gateway;

  @AfterEach
  void stop() {
    // The gateway first: closing it exports its last spans to the collector.
    if (gateway != null) {
      gateway.close();
    }
    collector.close();
  }

  private Gateway start(String role) {
    String yaml =
        """
        server: {port: 0, role: %s}
        providers:
          sim: {type: simulator}
        deployments:
          primary: {provider: sim, model: "%s"}
        groups:
          assistant: {deployments: [primary]}
        tenants:
          team: {keys: ["%s"]}
        workers: {concurrency: 2, lease: 5s, heartbeat: 1s, poll: 50ms}
        prompts:
          summarize: {user: "Summarize: {{input.text}}"}
        pipelines:
          brief:
            stages:
              - {name: summarize, type: generate, group: assistant, prompt: summarize, timeout: 10s}
              - {name: shape, type: transform, output: {summary: "{{stages.summarize.text}}"}}
        telemetry:
          otlp_endpoint: "%s"
          headers: {Authorization: "Bearer ${COLLECTOR_TOKEN}"}
          service_name: ballast-gateway-test
          timeout: 5s
        """
            .formatted(role, UPSTREAM_MODEL, ConfigLoader.hashKey(KEY), collector.url());
    BallastConfig config =
        ConfigLoader.parse("telemetry", yaml, Map.of("COLLECTOR_TOKEN", "collector-token"));
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
    return gateway;
  }

  private HttpResponse<String> send(
      String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> chat(Map<String, String> extraHeaders) {
    Map<String, String> headers = new java.util.HashMap<>(extraHeaders);
    headers.put("authorization", "Bearer " + KEY);
    headers.put("content-type", "application/json");
    HttpResponse<String> response =
        send("POST", "/v1/chat/completions", TestGateway.chat("assistant", false), headers);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }

  private HttpResponse<String> submit(String traceparent) {
    Map<String, String> headers = new java.util.HashMap<>();
    headers.put("authorization", "Bearer " + KEY);
    headers.put("content-type", "application/json");
    if (traceparent != null) {
      headers.put("traceparent", traceparent);
    }
    HttpResponse<String> response =
        send("POST", "/v1/pipelines/brief/runs", "{\"input\":{\"text\":\"traced\"}}", headers);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return response;
  }

  private void awaitSucceeded(String runId) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(25))
        .until(
            () ->
                "succeeded"
                    .equals(
                        json(send(
                                    "GET",
                                    "/v1/pipelines/runs/" + runId,
                                    null,
                                    Map.of("authorization", "Bearer " + KEY))
                                .body())
                            .path("state")
                            .asText()));
  }

  /** Scrapes without credentials, as Prometheus does. */
  private HttpResponse<String> scrape() {
    return send("GET", "/metrics", null, Map.of());
  }

  private static String runId(HttpResponse<String> response) {
    return response.headers().firstValue("x-ballast-run-id").orElseThrow();
  }

  private static String traceparentOf(HttpResponse<String> response) {
    return response.headers().firstValue("traceparent").orElseThrow();
  }

  private static String randomTraceparent() {
    HexFormat hex = HexFormat.of();
    byte[] trace = new byte[16];
    byte[] span = new byte[8];
    ThreadLocalRandom.current().nextBytes(trace);
    ThreadLocalRandom.current().nextBytes(span);
    trace[0] |= 1; // never all zeros
    span[0] |= 1;
    return "00-" + hex.formatHex(trace) + "-" + hex.formatHex(span) + "-01";
  }

  private static String traceId(String traceparent) {
    return traceparent.substring(3, 35);
  }

  private static String spanId(String traceparent) {
    return traceparent.substring(36, 52);
  }

  private List<Span> awaitSpans(String traceId, int count) {
    gateway.journal().flush(Duration.ofSeconds(5));
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                collector.spans().stream()
                    .filter(s -> hex(s.getTraceId()).equals(traceId))
                    .toList(),
            spans -> spans.size() >= count);
  }

  private static Span named(List<Span> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void metricsAfterAChatCallAndAPipelineRunAreStrictPrometheusText() {
    start("both");
    chat(Map.of());
    awaitSucceeded(runId(submit(null)));
    gateway.journal().flush(Duration.ofSeconds(5));

    HttpResponse<String> response = scrape();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(
            type ->
                assertThat(type.replace(" ", ""))
                    .isEqualToIgnoringCase(BallastMetrics.CONTENT_TYPE.replace(" ", "")));
    Map<String, PrometheusText.Family> families = PrometheusText.parse(response.body());
    PrometheusText.Family duration = families.get("gen_ai_client_operation_duration_seconds");
    assertThat(duration.type()).isEqualTo("histogram");
    // The chat call and the pipeline's generate stage, each one attempt on the upstream model.
    assertThat(duration.samples())
        .filteredOn(s -> s.name().endsWith("_count"))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.labels())
                  .containsEntry("gen_ai_request_model", UPSTREAM_MODEL)
                  .containsEntry("gen_ai_provider_name", "simulator")
                  .containsEntry("gen_ai_operation_name", "chat");
              assertThat(s.value()).isEqualTo(2);
            });
  }

  /**
   * The metric names ballast-telemetry's README lists (backticked) are the ones a node serves:
   * after a chat call and a pipeline run, every one of them is in {@code /metrics}. It once listed
   * {@code ballast_queue_lease_reclaims_total}, which nothing registered.
   */
  @Test
  void everyMetricTheTelemetryReadmeNamesIsServedAfterARepresentativeWorkload() throws IOException {
    start("both");
    chat(Map.of());
    awaitSucceeded(runId(submit(null)));
    gateway.journal().flush(Duration.ofSeconds(5));

    java.util.Set<String> served = PrometheusText.parse(scrape().body()).keySet();

    List<String> named = readmeMetricNames();
    assertThat(named).contains("ballast_runs_total", "ballast_journal_spool_pending");
    assertThat(named).allSatisfy(name -> assertThat(served).as("served families").contains(name));
  }

  /** The names in the README's metrics section, {@code prefix_{a, b}} expanded. */
  private static List<String> readmeMetricNames() throws IOException {
    String readme =
        java.nio.file.Files.readString(
            java.nio.file.Path.of(System.getProperty("user.dir"))
                .getParent()
                .resolve("ballast-telemetry/README.md"));
    int start = readme.indexOf("## Metrics");
    String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
    List<String> names = new java.util.ArrayList<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("`((?:ballast|gen_ai)_[a-z_]*)(?:\\{([^}`]*)})?`")
            .matcher(section);
    while (m.find()) {
      if (m.group(2) == null) {
        names.add(m.group(1));
      } else {
        for (String suffix : m.group(2).split(",")) {
          names.add(m.group(1) + suffix.trim());
        }
      }
    }
    return names;
  }

  @Test
  void queueGaugesReportEveryStateFromTheStore() {
    start("both");
    awaitSucceeded(runId(submit(null)));

    Map<String, PrometheusText.Family> families = PrometheusText.parse(scrape().body());

    PrometheusText.Family queue = families.get("ballast_queue_runs");
    assertThat(queue.type()).isEqualTo("gauge");
    assertThat(queue.samples())
        .extracting(s -> s.labels().get("state"))
        .containsExactlyInAnyOrder("queued", "running", "waiting", "succeeded", "failed", "dead");
    assertThat(queue.samples())
        .filteredOn(s -> s.labels().get("state").equals("succeeded"))
        .singleElement()
        .extracting(PrometheusText.Sample::value)
        .isEqualTo(1.0);
    assertThat(families)
        .containsKeys(
            "ballast_queue_oldest_ready_age_seconds",
            "ballast_queue_expired_leases",
            "ballast_pipeline_leases_lost_total");
  }

  @Test
  void breakerAndRetryBudgetGaugesNameEveryDeployment() {
    start("both");

    Map<String, PrometheusText.Family> families = PrometheusText.parse(scrape().body());

    assertThat(families.get("ballast_breaker_state").samples())
        .filteredOn(s -> s.value() == 1)
        .singleElement()
        .extracting(PrometheusText.Sample::labels)
        .isEqualTo(Map.of("deployment", "primary", "state", "closed"));
    assertThat(families.get("ballast_retry_budget_remaining").samples())
        .extracting(s -> s.labels().get("scope"))
        .containsExactlyInAnyOrder("primary", "global");
    assertThat(families)
        .containsKeys("ballast_journal_written_total", "ballast_journal_queue_size");
  }

  @Test
  void aWorkerNodeServesMetricsToo() {
    start("worker");

    HttpResponse<String> response = scrape();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(PrometheusText.parse(response.body()))
        .containsKeys("ballast_queue_runs", "ballast_journal_queue_size", "ballast_breaker_state");
  }

  @Test
  void chatSpansReachTheCollectorInTheCallersTrace() {
    start("both");
    String caller = randomTraceparent();

    HttpResponse<String> response = chat(Map.of("traceparent", caller));

    String answered = traceparentOf(response);
    assertThat(traceId(answered)).isEqualTo(traceId(caller));
    List<Span> spans = awaitSpans(traceId(caller), 2);
    Span run = named(spans, "chat assistant");
    Span attempt = named(spans, "chat " + UPSTREAM_MODEL);
    assertThat(run.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(hex(run.getParentSpanId())).isEqualTo(spanId(caller));
    assertThat(hex(run.getSpanId())).isEqualTo(spanId(answered));
    assertThat(hex(attempt.getParentSpanId())).isEqualTo(hex(run.getSpanId()));
    assertThat(collector.exports())
        .allSatisfy(
            e -> {
              assertThat(e.path()).isEqualTo("/v1/traces");
              assertThat(e.authorization()).isEqualTo("Bearer collector-token");
            });
    assertThat(collector.resources().getFirst().getResource().getAttributesList())
        .anySatisfy(
            kv -> {
              assertThat(kv.getKey()).isEqualTo("service.name");
              assertThat(kv.getValue().getStringValue()).isEqualTo("ballast-gateway-test");
            });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/v1/chat/completions", "/v1/embeddings", "/v1/messages"})
  void everyFrontDoorAnswersWithTheRunSpanInTheCallersTrace(String path) {
    start("both");
    String caller = randomTraceparent();
    String body =
        switch (path) {
          case "/v1/chat/completions" -> TestGateway.chat("assistant", true);
          case "/v1/embeddings" -> "{\"model\":\"assistant\",\"input\":[\"a\"]}";
          default ->
              "{\"model\":\"assistant\",\"max_tokens\":32,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        };

    HttpResponse<String> response =
        send(
            "POST",
            path,
            body,
            Map.of(
                "authorization",
                "Bearer " + KEY,
                "content-type",
                "application/json",
                "traceparent",
                caller));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String own = JournalSpans.traceparent(runId(response));
    assertThat(traceparentOf(response))
        .isEqualTo("00-" + traceId(caller) + "-" + spanId(own) + "-01");
  }

  @Test
  void aPipelineRunAndItsModelCallJoinTheSubmittersTrace() {
    start("both");
    String caller = randomTraceparent();

    HttpResponse<String> response = submit(caller);
    awaitSucceeded(runId(response));

    assertThat(traceId(traceparentOf(response))).isEqualTo(traceId(caller));
    // invoke_workflow, two stages, and the generate stage's model call with its attempt.
    List<Span> spans = awaitSpans(traceId(caller), 5);
    Span workflow = named(spans, "invoke_workflow brief");
    assertThat(hex(workflow.getParentSpanId())).isEqualTo(spanId(caller));
    assertThat(hex(named(spans, "chat assistant").getParentSpanId()))
        .isEqualTo(hex(named(spans, "stage summarize").getSpanId()));
  }

  @Test
  void withoutAValidTraceparentACallAnswersWithItsOwnTrace() {
    start("both");

    HttpResponse<String> plain = chat(Map.of());
    HttpResponse<String> malformed = chat(Map.of("traceparent", "00-zz-not-a-trace-01"));

    assertThat(traceparentOf(plain)).isEqualTo(JournalSpans.traceparent(runId(plain)));
    assertThat(traceparentOf(malformed)).isEqualTo(JournalSpans.traceparent(runId(malformed)));
    List<Span> spans = awaitSpans(traceId(traceparentOf(malformed)), 2);
    assertThat(named(spans, "chat assistant").getParentSpanId().isEmpty()).isTrue();
  }

  @Test
  void aReplayedIdempotentAnswerCarriesNoTraceparentOfARunThatNeverHappened() {
    start("both");
    Map<String, String> headers =
        Map.of("Idempotency-Key", "telemetry-1", "traceparent", randomTraceparent());

    HttpResponse<String> first = chat(headers);
    HttpResponse<String> replay = chat(headers);

    assertThat(first.headers().firstValue("traceparent")).isPresent();
    assertThat(replay.headers().firstValue("x-ballast-idempotent-replayed")).contains("true");
    assertThat(replay.headers().firstValue("traceparent")).isEmpty();
  }
}
