package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.testkit.Postgres;
import dev.ballast.testkit.PrometheusText;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented split on one PostgreSQL store (docs/cluster.md): a gateway node accepts pipeline
 * runs and writes their {@code RunStarted}; a worker node executes them and writes everything else.
 * Every run's spans reach the collector exactly once, neither node keeps a run buffered, and the
 * worker's metrics name the pipeline although it never saw a run start.
 */
class CrossNodeTelemetryTest {
  private static final String KEY = "bk-cross-node";
  private static final int RUNS = 3;

  @TempDir Path gatewayDir;
  @TempDir Path workerDir;

  @Test
  void aRunAcceptedOnOneNodeAndExecutedOnAnotherIsTracedOnceAndCountedUnderItsPipeline()
      throws Exception {
    String base = Postgres.requireAvailable();
    String schema =
        "ballast_xnode_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    String store = base + "&schema=" + schema;
    List<String> runs = new ArrayList<>();
    List<Span> spans;
    try (OtlpCollector collector = new OtlpCollector()) {
      try (PipelineGateway gateway = node(gatewayDir, store, "gateway", collector);
          PipelineGateway worker = node(workerDir, store, "worker", collector)) {
        for (int i = 0; i < RUNS; i++) {
          runs.add(gateway.submit("answer", "{\"question\":\"How do I resume a dead run?\"}"));
        }
        for (String run : runs) {
          gateway.awaitState(run, "succeeded");
        }
        assertThat(gateway.gateway.journal().flush(Duration.ofSeconds(10))).isTrue();
        assertThat(worker.gateway.journal().flush(Duration.ofSeconds(10))).isTrue();
        await()
            .atMost(PipelineGateway.WAIT)
            .untilAsserted(
                () ->
                    assertThat(workflowRuns(collector.spans()))
                        .containsExactlyInAnyOrderElementsOf(runs));
        await()
            .atMost(PipelineGateway.WAIT)
            .untilAsserted(
                () -> {
                  assertThat(buffered(gateway)).as("gateway node").isZero();
                  assertThat(buffered(worker)).as("worker node").isZero();
                });
        Map<String, PrometheusText.Family> metrics = metrics(worker);
        assertThat(metrics.get("ballast_stage_outcomes_total").samples())
            .isNotEmpty()
            .allSatisfy(s -> assertThat(s.labels()).containsEntry("pipeline", "answer"));
        assertThat(metrics.get("ballast_runs_total").samples())
            .filteredOn(s -> "pipeline".equals(s.labels().get("kind")))
            .singleElement()
            .satisfies(
                s -> {
                  assertThat(s.labels()).containsEntry("operation", "answer");
                  assertThat(s.value()).isEqualTo(RUNS);
                });
      }
      // Both nodes closed: every span either will ever export has reached the collector.
      spans = collector.spans();
    } finally {
      Postgres.dropSchema(base, schema);
    }
    for (String run : runs) {
      Map<String, Long> names =
          spans.stream()
              .filter(s -> run.equals(attribute(s, "ballast.run.id")))
              .collect(Collectors.groupingBy(Span::getName, Collectors.counting()));
      assertThat(names)
          .as(run)
          .containsEntry("invoke_workflow answer", 1L)
          .containsEntry("stage retrieve", 1L)
          .containsEntry("retrieval docs", 1L)
          .containsEntry("stage ask", 1L)
          .containsEntry("stage shape", 1L);
    }
  }

  private static List<String> workflowRuns(List<Span> spans) {
    return spans.stream()
        .filter(s -> s.getName().equals("invoke_workflow answer"))
        .map(s -> attribute(s, "ballast.run.id"))
        .toList();
  }

  private static String attribute(Span span, String key) {
    return span.getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(KeyValue::getValue)
        .map(v -> v.getStringValue())
        .findFirst()
        .orElse(null);
  }

  private static Map<String, PrometheusText.Family> metrics(PipelineGateway node) {
    return PrometheusText.parse(node.get("/metrics").body());
  }

  private static double buffered(PipelineGateway node) {
    return metrics(node).get("ballast_telemetry_runs_buffered").samples().getFirst().value();
  }

  private static PipelineGateway node(
      Path dataDir, String store, String role, OtlpCollector collector) {
    String yaml =
        """
        server: {port: 0, role: %s}
        store: {url: "%s"}
        providers:
          sim: {type: simulator}
        deployments:
          sim: {provider: sim, model: sim}
        groups:
          default: {deployments: [sim]}
        tenants:
          team: {keys: ["%s"]}
        workers: {concurrency: 4, lease: 5s, heartbeat: 1s, poll: 50ms}
        collections:
          docs: {embedding: default, seed: "builtin:sample-docs"}
        prompts:
          ask: {user: "{{input.question}}"}
        pipelines:
          answer:
            stages:
              - {name: retrieve, type: retrieve, collection: docs, query: "{{input.question}}",
                 k: 2, mode: keyword}
              - {name: ask, type: generate, group: default, prompt: ask, timeout: 10s}
              - {name: shape, type: transform, output: {answer: "{{stages.ask.text}}"}}
        telemetry:
          otlp_endpoint: "%s"
          service_name: ballast-%s
          timeout: 5s
        """
            .formatted(role, store, ConfigLoader.hashKey(KEY), collector.url(), role);
    BallastConfig config = ConfigLoader.parse("cross node", yaml, Map.of());
    return new PipelineGateway(
        Gateway.start(config.withServer(config.server().withDataDir(dataDir))), KEY);
  }
}
