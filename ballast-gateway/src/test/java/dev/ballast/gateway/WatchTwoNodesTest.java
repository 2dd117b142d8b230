package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import dev.ballast.testkit.Postgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL store, behind one upstream that changes its model: both see the
 * change, and the cluster has one alert, journaled once and notified once.
 */
class WatchTwoNodesTest {
  static final String KEY = "bk-watch-two-nodes";

  @TempDir Path dirA;
  @TempDir Path dirB;
  String base;
  String schema;
  DriftingUpstream upstream;
  WebhookSink sink;
  TestGateway a;
  TestGateway b;

  @BeforeEach
  void start() {
    base = Postgres.requireAvailable();
    schema = Postgres.newSchema("ballast_watch_");
    upstream = new DriftingUpstream();
    sink = new WebhookSink();
    String yaml =
        """
        server: {port: 0}
        store: {url: "%s"}
        providers:
          up: {type: openai, base_url: "%s", api_key: "sk-test"}
        deployments:
          watched: {provider: up, model: gpt-test}
        groups:
          default: {deployments: [watched]}
        admins: [dev]
        tenants:
          dev: {keys: ["%s"]}
        watch:
          baseline: {tick: 100ms}
          identity: {min_samples: 5}
          notify: {webhook: "%s"}
        workers: {poll: 50ms}
        """
            .formatted(
                base + "&schema=" + schema,
                upstream.baseUrl(),
                ConfigLoader.hashKey(KEY),
                sink.url("/alerts"));
    BallastConfig config = ConfigLoader.parse("two-nodes", yaml, Map.of());
    a = new TestGateway(Gateway.start(config.withServer(config.server().withDataDir(dirA))));
    b = new TestGateway(Gateway.start(config.withServer(config.server().withDataDir(dirB))));
  }

  @AfterEach
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    upstream.close();
    sink.close();
    Postgres.dropSchema(base, schema);
  }

  @Test
  void bothNodesSeeTheNewModelAndTheClusterHasOneAlertJournaledAndNotifiedOnce() {
    for (int i = 0; i < 6; i++) {
      chat(a);
      chat(b);
    }
    upstream.model = "gpt-test-2024-09-09";
    chat(a);
    chat(b);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                a.gateway.watch().orElseThrow().openAlerts().size() == 1
                    && b.gateway.watch().orElseThrow().openAlerts().size() == 1);
    List<AlertRecord> alerts = a.gateway.store().watch().alerts(null, 10);
    assertThat(alerts)
        .singleElement()
        .satisfies(
            alert -> {
              assertThat(alert.kind()).isEqualTo("model_changed");
              assertThat(alert.state()).isEqualTo(AlertState.OPEN);
            });
    String id = alerts.getFirst().id();
    // Both nodes answer with the same alert.
    for (TestGateway node : List.of(a, b)) {
      JsonNode list = TestGateway.json(node.get("/v1/ballast/alerts?state=open", KEY).body());
      assertThat(list.path("data")).hasSize(1);
      assertThat(list.path("data").get(0).path("id").asText()).isEqualTo(id);
    }
    a.gateway.journal().flush(Duration.ofSeconds(5));
    b.gateway.journal().flush(Duration.ofSeconds(5));
    long opened =
        a.gateway.store().journal().events(id).stream()
            .filter(
                e ->
                    e.event() instanceof JournalEvent.AlertChanged c
                        && c.transition().equals(JournalEvent.AlertChanged.OPENED))
            .count();
    assertThat(opened).isEqualTo(1);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(20))
        .until(() -> sink.deliveries.size() == 1);
    assertThat(TestGateway.json(sink.deliveries.getFirst().body()).path("alert").asText())
        .isEqualTo(id);
  }

  private static void chat(TestGateway node) {
    HttpResponse<String> res =
        node.post("/v1/chat/completions", KEY, TestGateway.chat("default", false));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
  }
}
