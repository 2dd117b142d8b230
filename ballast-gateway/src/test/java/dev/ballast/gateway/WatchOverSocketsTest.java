package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.testkit.MutableClock;
import dev.ballast.testkit.PrometheusText;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watch end to end: real clients, the real gateway and an upstream over real sockets that changes
 * under it. The gateway's clock is the test's, so minutes settle into the baseline when the test
 * says; everything else (the journal writer, Watch's ticker, HTTP) runs for real.
 */
class WatchOverSocketsTest {
  static final String ADMIN_KEY = "bk-watch-admin";
  static final String TENANT_KEY = "bk-watch-tenant";

  @TempDir Path dir;
  DriftingUpstream upstream;
  WebhookSink sink;
  MutableClock clock;
  TestGateway node;

  @BeforeEach
  void start() {
    upstream = new DriftingUpstream();
    sink = new WebhookSink();
    clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    node = node("");
  }

  /** A node whose one deployment carries {@code pin} (e.g. an {@code expect:}) after its price. */
  private TestGateway node(String pin) {
    String yaml =
        """
        server: {port: 0}
        providers:
          up: {type: openai, base_url: "%s", api_key: "sk-test"}
        deployments:
          watched: {provider: up, model: gpt-test, price: {input: 1.0, output: 2.0}%s}
        groups:
          default: {deployments: [watched]}
        admins: [dev]
        tenants:
          dev: {keys: ["%s"]}
          team: {keys: ["%s"]}
        watch:
          baseline: {window: 10m, settle: 1s, tick: 100ms}
          identity: {min_samples: 5}
          latency: {min_samples: 60, recovery: 30}
          notify: {webhook: "%s"}
        workers: {poll: 50ms}
        """
            .formatted(
                upstream.baseUrl(),
                pin,
                ConfigLoader.hashKey(ADMIN_KEY),
                ConfigLoader.hashKey(TENANT_KEY),
                sink.url("/hooks/alerts"));
    BallastConfig config = ConfigLoader.parse("watch-test", yaml, Map.of());
    return new TestGateway(
        Gateway.start(config.withServer(config.server().withDataDir(dir)), clock));
  }

  @AfterEach
  void stop() {
    node.close();
    upstream.close();
    sink.close();
  }

  @Test
  void aNewModelBehindTheDeploymentOpensAModelChangedAlertWithTheRunsAndTheirDiff() {
    String lastGood = null;
    for (int i = 0; i < 8; i++) {
      lastGood = chat();
    }
    upstream.model = "gpt-test-2024-06-01";
    String firstBad = chat();

    JsonNode alert = awaitOpen("model");
    assertThat(alert.path("kind").asText()).isEqualTo("model_changed");
    assertThat(alert.path("series").asText()).isEqualTo("deployment:watched");
    assertThat(alert.path("severity").asText()).isEqualTo("critical");
    assertThat(alert.path("last_good_run").asText()).isEqualTo(lastGood);
    assertThat(alert.path("first_bad_run").asText()).isEqualTo(firstBad);
    assertThat(alert.path("title").asText()).contains("gpt-test-2024-06-01");
    List<String> changed = new ArrayList<>();
    alert
        .path("diff")
        .forEach(r -> changed.add(r.path("field").asText() + "=" + r.path("bad").asText()));
    assertThat(changed).contains("response_model=gpt-test-2024-06-01");

    String id = alert.path("id").asText();
    JsonNode one = TestGateway.json(node.get("/v1/ballast/alerts/" + id, ADMIN_KEY).body());
    assertThat(one.path("first_bad_run").asText()).isEqualTo(firstBad);
    // A tenant's key reads only alerts of its own tenant's series.
    assertThat(node.get("/v1/ballast/alerts/" + id, TENANT_KEY).statusCode()).isEqualTo(404);
    assertThat(TestGateway.json(node.get("/v1/ballast/alerts", TENANT_KEY).body()).path("data"))
        .isEmpty();
    // The alert is a journal event under its own id.
    JsonNode run = TestGateway.json(node.get("/v1/ballast/runs/" + id, ADMIN_KEY).body());
    assertThat(run.toString()).contains("AlertChanged").contains("opened");
    // A Slack-compatible notification, delivered once through the effects ledger.
    await().atMost(Duration.ofSeconds(20)).until(() -> !sink.deliveries.isEmpty());
    WebhookSink.Delivery delivery = sink.deliveries.getFirst();
    assertThat(delivery.path()).isEqualTo("/hooks/alerts");
    assertThat(delivery.idempotencyKey()).isNotBlank();
    JsonNode body = TestGateway.json(delivery.body());
    assertThat(body.path("text").asText())
        .contains("opened")
        .contains("gpt-test-2024-06-01")
        .contains(firstBad);
    assertThat(body.path("alert").asText()).isEqualTo(id);
    // And a gauge on /metrics.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        PrometheusText.parse(metrics()).get("ballast_watch_alert_open").samples())
                    .contains(
                        new PrometheusText.Sample(
                            "ballast_watch_alert_open",
                            Map.of("series", "deployment:watched", "signal", "model"),
                            1.0)));
  }

  @Test
  void aLatencyShiftOpensALatencyAlertThatResolvesAfterRecovery() {
    // Three settled minutes of baseline traffic.
    for (int minute = 0; minute < 3; minute++) {
      for (int i = 0; i < 40; i++) {
        chat();
      }
      // Every run of the minute reaches Watch before the minute is over.
      node.gateway.journal().flush(Duration.ofSeconds(5));
      clock.advance(Duration.ofMinutes(1));
    }
    clock.advance(Duration.ofSeconds(5));
    awaitTicks();

    upstream.medianDelayMs = 240;
    JsonNode alert = null;
    for (int i = 0; i < 80 && alert == null; i++) {
      chat();
      alert = open("latency", "deployment:watched");
    }
    if (alert == null) {
      alert = awaitOpen("latency");
    }
    assertThat(alert.path("kind").asText()).isEqualTo("shift_up");
    assertThat(alert.path("baseline").asDouble()).isLessThan(alert.path("current").asDouble());
    assertThat(alert.path("last_good_run").asText()).isNotEmpty();
    assertThat(alert.path("first_bad_run").asText()).isNotEmpty();
    String id = alert.path("id").asText();

    upstream.medianDelayMs = 30;
    for (int i = 0; i < 120; i++) {
      chat();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        TestGateway.json(node.get("/v1/ballast/alerts/" + id, ADMIN_KEY).body())
                            .path("state")
                            .asText())
                    .isEqualTo("resolved"));
    JsonNode resolved =
        TestGateway.json(node.get("/v1/ballast/alerts?state=resolved", ADMIN_KEY).body());
    assertThat(resolved.path("data").toString()).contains(id);
    // One notification per transition: opened, then resolved, each once.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        sink.deliveries.stream()
                            .map(d -> TestGateway.json(d.body()))
                            .filter(b -> b.path("alert").asText().equals(id))
                            .map(b -> b.path("transition").asText())
                            .toList())
                    .containsExactlyInAnyOrder("opened", "resolved"));
  }

  @Test
  void aPinnedDeploymentOpensModelChangedAtItsFirstAnswerFromAnotherModel() {
    // expect: (docs/checks.md) feeds the identity detector: no warm-up, no baseline needed.
    node.close();
    node = node(", expect: {model: gpt-test-pinned}");
    String first = chat();
    JsonNode alert = awaitOpen("model");
    assertThat(alert.path("kind").asText()).isEqualTo("model_changed");
    assertThat(alert.path("first_bad_run").asText()).isEqualTo(first);
  }

  @Test
  void aBadStateIsAClearFourHundred() {
    HttpResponse<String> res = node.get("/v1/ballast/alerts?state=sideways", ADMIN_KEY);
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(res.body()).path("error").path("param").asText())
        .isEqualTo("state");
  }

  private String chat() {
    HttpResponse<String> res =
        node.post("/v1/chat/completions", TENANT_KEY, TestGateway.chat("default", false));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return res.headers().firstValue("x-ballast-run-id").orElseThrow();
  }

  private void awaitTicks() {
    // Two ticks of 100 ms: the minutes written, read back as the baseline.
    node.gateway.journal().flush(Duration.ofSeconds(5));
    node.gateway.watch().orElseThrow().tick();
    node.gateway.watch().orElseThrow().tick();
  }

  private JsonNode awaitOpen(String signal) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> (found[0] = open(signal, "deployment:watched")) != null);
    return found[0];
  }

  private JsonNode open(String signal, String series) {
    JsonNode list = TestGateway.json(node.get("/v1/ballast/alerts?state=open", ADMIN_KEY).body());
    for (JsonNode a : list.path("data")) {
      if (a.path("signal").asText().equals(signal) && a.path("series").asText().equals(series)) {
        return a;
      }
    }
    return null;
  }

  private String metrics() {
    return node.get("/metrics", ADMIN_KEY).body();
  }
}
