package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.testkit.Postgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /livez}, {@code /readyz} and {@code /healthz}, and the drain on shutdown (docs/cluster.md,
 * "Readiness" and "Drain"), over real sockets: a draining node says so on {@code /readyz}, refuses
 * new requests, lets the ones in flight finish, and hands a run whose stage is still running back
 * to the queue, where another node takes it over long before its lease would have lapsed.
 */
class HealthAndDrainTest {
  private static final String KEY = "bk-health";
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path dir;
  @TempDir Path otherDir;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static Gateway node(Path dataDir, String store, String drain, String sinkUrl) {
    String yaml =
        """
        server: {port: 0, drain_timeout: %s}
        store: {url: "%s"}
        providers:
          sim: {type: simulator}
        deployments:
          sim: {provider: sim, model: sim}
          slow: {provider: sim, model: "sim:latency=1500ms"}
        groups:
          default: {deployments: [sim]}
          slow: {deployments: [slow]}
        tenants:
          team: {keys: ["%s"]}
        workers: {concurrency: 2, lease: %ds, heartbeat: 1s, poll: 50ms}
        pipelines:
          held:
            stages:
              - {name: hold, type: http_action, url: "%s", timeout: 60s}
        """
            .formatted(drain, store, ConfigLoader.hashKey(KEY), LEASE.toSeconds(), sinkUrl);
    BallastConfig config = ConfigLoader.parse("health", yaml, Map.of());
    return Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
  }

  private HttpResponse<String> get(Gateway node, String path) {
    return send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).GET().build());
  }

  private HttpResponse<String> post(Gateway node, String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
            .header("authorization", "Bearer " + KEY)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aNodeUpAndConnectedIsLiveAndReadyWithAReasonPerCheck() {
    try (WebhookSink sink = new WebhookSink();
        Gateway node = node(dir, "sqlite:", "5s", sink.url("/hold"))) {
      HttpResponse<String> live = get(node, "/livez");
      HttpResponse<String> ready = get(node, "/readyz");
      HttpResponse<String> health = get(node, "/healthz");

      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(json(live.body()).get("status").asText()).isEqualTo("ok");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("ok");
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      JsonNode body = json(ready.body());
      assertThat(body.get("status").asText()).isEqualTo("ready");
      assertThat(body.get("checks").fieldNames())
          .toIterable()
          .containsExactly("store", "migrations", "index", "deployments", "draining");
      body.get("checks")
          .forEach(c -> assertThat(c.get("ok").asBoolean()).as(c.toString()).isTrue());
    }
  }

  @Test
  void aNodeThatCannotReachItsStoreIsLiveButNotReadyAndSaysWhy() {
    try (WebhookSink sink = new WebhookSink();
        Gateway node = node(dir, "sqlite:", "5s", sink.url("/hold"))) {
      node.store().close();

      HttpResponse<String> ready = get(node, "/readyz");

      assertThat(get(node, "/livez").statusCode()).isEqualTo(200);
      assertThat(ready.statusCode()).isEqualTo(503);
      JsonNode body = json(ready.body());
      assertThat(body.get("status").asText()).isEqualTo("not_ready");
      assertThat(body.at("/checks/store/ok").asBoolean()).isFalse();
      assertThat(body.at("/checks/store/reason").asText()).startsWith("unreachable");
      assertThat(body.at("/checks/migrations/ok").asBoolean()).isFalse();
      assertThat(body.at("/checks/deployments/ok").asBoolean()).isTrue();
    }
  }

  @Test
  void aDrainingNodeFinishesTheRequestsInFlightAndRefusesNewOnes() throws Exception {
    try (WebhookSink sink = new WebhookSink()) {
      Gateway node = node(dir, "sqlite:", "10s", sink.url("/hold"));
      String chat = TestGateway.chat("slow", false);
      CompletableFuture<HttpResponse<String>> inFlight =
          CompletableFuture.supplyAsync(() -> post(node, "/v1/chat/completions", chat));
      await().atMost(Duration.ofSeconds(10)).until(() -> !node.simulator().attempts().isEmpty());

      CompletableFuture<Void> closed = CompletableFuture.runAsync(node::close);
      await().atMost(Duration.ofSeconds(5)).until(() -> get(node, "/readyz").statusCode() == 503);
      JsonNode ready = json(get(node, "/readyz").body());
      HttpResponse<String> refused = post(node, "/v1/chat/completions", chat);

      assertThat(ready.at("/checks/draining/ok").asBoolean()).isFalse();
      assertThat(ready.at("/checks/draining/reason").asText()).contains("shutting down");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(json(refused.body()).at("/error/code").asText()).isEqualTo("node_draining");
      assertThat(refused.headers().firstValue("connection")).contains("close");
      HttpResponse<String> answered = inFlight.get();
      assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
      closed.get();
      assertThat(node.simulator().attempts()).hasSize(1);
      assertThatThrownBy(() -> get(node, "/livez")).isInstanceOf(RuntimeException.class);
    }
  }

  @Test
  void aStageStillRunningAtTheDrainDeadlineIsHandedBackForImmediateTakeOver() throws Exception {
    String base = Postgres.requireAvailable();
    String schema =
        "ballast_drain_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    String store = base + "&schema=" + schema;
    try (WebhookSink sink = new WebhookSink()) {
      sink.gate = new CountDownLatch(1);
      Gateway first = node(dir, store, "1s", sink.url("/hold"));
      String id = new PipelineGateway(first, KEY).submit("held", "{}");
      await().atMost(Duration.ofSeconds(10)).until(() -> !sink.deliveriesFor(id).isEmpty());

      first.close();
      long afterClose = System.nanoTime();
      sink.gate.countDown();

      try (Gateway next = node(otherDir, store, "5s", sink.url("/hold"))) {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    next.pipelines().find(id).orElseThrow().state()
                        == dev.ballast.core.queue.QueueState.SUCCEEDED);
        Duration takeOver = Duration.ofNanos(System.nanoTime() - afterClose);
        assertThat(takeOver).as("long before the 30 s lease lapsed").isLessThan(LEASE);
        assertThat(next.pipelines().stats().claimed()).isEqualTo(1);
        next.journal().flush(Duration.ofSeconds(5));
        assertThat(next.store().journal().events(id))
            .anySatisfy(
                e -> {
                  assertThat(e.event()).isInstanceOf(JournalEvent.StageFailed.class);
                  JournalEvent.StageFailed f = (JournalEvent.StageFailed) e.event();
                  assertThat(f.errorClass()).isEqualTo("node_shutdown");
                  assertThat(f.next()).isEqualTo("parked");
                });
        assertThat(next.pipelines().find(id).orElseThrow().attempts())
            .as("a hand-back spends no attempt")
            .isEqualTo(1);
      }
    } finally {
      Postgres.dropSchema(base, schema);
    }
  }
}
