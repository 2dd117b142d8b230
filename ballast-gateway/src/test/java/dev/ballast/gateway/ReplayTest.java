package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.gateway.internal.assembly.ReplayAssembly;
import dev.ballast.replay.Overrides;
import dev.ballast.replay.ReplayOutcome;
import dev.ballast.replay.ReplayReport;
import dev.ballast.simulator.Simulator;
import dev.ballast.simulator.SimulatorServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays runs recorded through a simulator on a real socket, which would answer any request: a
 * deterministic replay reaches neither it nor the webhook sink, takes the same decisions and
 * produces the same outputs; a changed pipeline names its first divergence; a what-if sends only
 * the overridden call live and journals a linked run.
 */
class ReplayTest {
  private static final String KEY = "bk-replay";
  private static final String QUIET_KEY = "bk-replay-quiet";
  @TempDir static Path dataDir;
  static Simulator simulator;
  static SimulatorServer upstream;
  static WebhookSink sink;
  static Gateway gateway;
  static PipelineGateway client;

  static String yaml(String shapeTemplate) {
    return """
        server: {port: 0}
        providers:
          up: {type: simulator, base_url: "%s/v1"}
        deployments:
          down-first: {provider: up, model: "sim:status=503"}
          primary: {provider: up, model: sim}
          large: {provider: up, model: sim-large}
        groups:
          default: {deployments: [down-first, primary]}
          big: {deployments: [large]}
          down: {deployments: [down-first]}
        tenants:
          team: {keys: ["%s"]}
          quiet: {keys: ["%s"], capture: false}
        workers: {concurrency: 2, lease: 5s, heartbeat: 1s, poll: 50ms}
        prompts:
          summarize: {system: "Answer in one sentence.", user: "Summarize: {{input.text}}"}
        pipelines:
          broken:
            stages:
              - {name: ask, type: generate, group: down, prompt: summarize, timeout: 10s,
                 retry: {max_attempts: 1}}
          digest:
            stages:
              - {name: summarize, type: generate, group: default, prompt: summarize, timeout: 10s}
              - name: shape
                type: transform
                output: %s
              - name: check
                type: validate
                of: shape
                schema: {type: object, required: [summary]}
              - name: notify
                type: http_action
                url: "%s"
                body: {summary: "{{stages.shape.summary}}"}
                timeout: 5s
        """
        .formatted(
            upstream.baseUri().toString().replaceAll("/$", ""),
            ConfigLoader.hashKey(KEY),
            ConfigLoader.hashKey(QUIET_KEY),
            shapeTemplate,
            sink.url("/digest"));
  }

  static BallastConfig config(String shapeTemplate) {
    BallastConfig config = ConfigLoader.parse("replay", yaml(shapeTemplate), Map.of());
    return config.withServer(config.server().withDataDir(dataDir));
  }

  @BeforeAll
  static void start() {
    simulator = Simulator.create();
    upstream = simulator.server(0);
    sink = new WebhookSink();
    gateway =
        Gateway.start(config("{summary: \"{{stages.summarize.text}}\", doc: \"{{input.id}}\"}"));
    client = new PipelineGateway(gateway, KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    sink.close();
  }

  private static String recordedDigest(String key) {
    PipelineGateway c = new PipelineGateway(gateway, key);
    String runId = c.submit("digest", "{\"text\":\"a long document\",\"id\":\"d1\"}");
    c.awaitState(runId, "succeeded");
    gateway.journal().flush(Duration.ofSeconds(5));
    return runId;
  }

  private static JsonNode replay(String runId, String body) {
    HttpResponse<String> r = client.post("/v1/ballast/runs/" + runId + "/replay", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestGateway.json(r.body());
  }

  @Test
  void aDeterministicPipelineReplayIsIdenticalAndReachesNeitherTheSimulatorNorTheSink() {
    String runId = recordedDigest(KEY);
    int attempts = simulator.attempts().size();
    int deliveries = sink.deliveries.size();

    JsonNode report = replay(runId, "");

    assertThat(report.get("outcome").asText()).as(report.toString()).isEqualTo("IDENTICAL");
    assertThat(report.get("stages")).hasSize(4);
    for (JsonNode stage : report.get("stages")) {
      assertThat(stage.get("hash").asText()).isEqualTo(stage.get("recorded_hash").asText());
    }
    assertThat(report.get("output_hash").asText())
        .isEqualTo(report.get("recorded_output_hash").asText());
    assertThat(simulator.attempts()).hasSize(attempts);
    assertThat(sink.deliveries).hasSize(deliveries);
  }

  @Test
  void aGatewayCallReplayTakesTheSameRetryAndFailoverDecisionsWithoutTheNetwork() {
    HttpResponse<String> call =
        client.post("/v1/chat/completions", TestGateway.chat("default", false));
    assertThat(call.statusCode()).isEqualTo(200);
    String runId = call.headers().firstValue("x-ballast-run-id").orElseThrow();
    gateway.journal().flush(Duration.ofSeconds(5));
    List<String> recorded = decisions(runId);
    assertThat(recorded)
        .contains("down-first server_error failover:primary", "primary ok answered");
    int attempts = simulator.attempts().size();

    JsonNode report = replay(runId, "{}");

    assertThat(report.get("outcome").asText()).as(report.toString()).isEqualTo("IDENTICAL");
    assertThat(report.get("output_hash").asText())
        .isEqualTo(report.get("recorded_output_hash").asText());
    assertThat(simulator.attempts()).hasSize(attempts);
  }

  @Test
  void aChangedTransformTemplateIsReportedAsTheFirstDivergenceAtThatStage() {
    String runId = recordedDigest(KEY);
    int attempts = simulator.attempts().size();
    int deliveries = sink.deliveries.size();
    BallastConfig changed =
        config("{summary: \"{{stages.summarize.text}}!\", doc: \"{{input.id}}\"}");

    ReplayReport report;
    try (ReplayAssembly replay = ReplayAssembly.open(changed, gateway.store(), Clock.systemUTC())) {
      report = replay.replayer().replay(runId, Overrides.NONE);
    }

    assertThat(report.outcome()).isEqualTo(ReplayOutcome.DIVERGED);
    assertThat(report.divergence().stage()).isEqualTo("shape");
    assertThat(report.divergence().what()).isEqualTo("stage_output");
    assertThat(report.divergence().expected()).isEqualTo(report.stages().get(1).recordedHash());
    assertThat(report.divergence().actual()).isEqualTo(report.stages().get(1).hash());
    assertThat(simulator.attempts()).hasSize(attempts);
    assertThat(sink.deliveries).hasSize(deliveries);
  }

  @Test
  void aWhatIfWithAnotherGroupSendsOnlyTheGenerateCallLiveAndJournalsALinkedRun() {
    String runId = recordedDigest(KEY);
    int deliveries = sink.deliveries.size();
    int large = simulator.attempts("sim-large").size();
    int others = simulator.attempts().size() - large;

    JsonNode report = replay(runId, "{\"group\":\"big\"}");

    assertThat(report.get("mode").asText()).isEqualTo("WHAT_IF");
    String newRunId = report.get("new_run_id").asText();
    assertThat(simulator.attempts("sim-large")).hasSize(large + 1);
    assertThat(simulator.attempts().size() - simulator.attempts("sim-large").size())
        .isEqualTo(others);
    assertThat(sink.deliveries).hasSize(deliveries);
    gateway.journal().flush(Duration.ofSeconds(5));
    List<JournalEntry> events = gateway.store().journal().events(newRunId);
    assertThat(events.getFirst().event())
        .isEqualTo(new JournalEvent.ReplayOf(runId, "what_if", Map.of("group", "big")));
    assertThat(events.getLast().event()).isInstanceOf(JournalEvent.RunCompleted.class);
    assertThat(gateway.store().journal().events(newRunId + "/summarize/1")).isNotEmpty();
    // The new run's stage output names the call it made live, so its trace (and a diff against
    // the original) shows that call's model, tokens and cost, not the recorded one's.
    JournalEvent.StageCompleted summarize =
        events.stream()
            .map(JournalEntry::event)
            .filter(
                e -> e instanceof JournalEvent.StageCompleted c && c.stage().equals("summarize"))
            .map(e -> (JournalEvent.StageCompleted) e)
            .findFirst()
            .orElseThrow();
    JsonNode output =
        TestGateway.json(
            new String(gateway.store().journal().blob(summarize.output().hash()).orElseThrow()));
    assertThat(output.get("call_run_id").asText()).isEqualTo(newRunId + "/summarize/1");
    assertThat(
            new dev.ballast.replay.trace.RunTraces(gateway.store().journal())
                .trace(newRunId)
                .orElseThrow()
                .findAll("call"))
        .extracting(c -> c.attributes().get("response_model"))
        .containsExactly("sim-large");
  }

  @Test
  void aRunWhoseGenerateStageDiedReplaysItsRecordedFailedCall() {
    String runId = client.submit("broken", "{\"text\":\"nobody answers\"}");
    client.awaitState(runId, "dead");
    gateway.journal().flush(Duration.ofSeconds(5));
    int attempts = simulator.attempts().size();

    JsonNode report = replay(runId, "");

    assertThat(report.get("outcome").asText()).as(report.toString()).isEqualTo("IDENTICAL");
    assertThat(simulator.attempts()).hasSize(attempts);
  }

  @Test
  void aRunRecordedWithoutCaptureIsReportedUnverifiableNotCrashed() {
    String runId = recordedDigest(QUIET_KEY);
    PipelineGateway quiet = new PipelineGateway(gateway, QUIET_KEY);

    HttpResponse<String> r = quiet.post("/v1/ballast/runs/" + runId + "/replay", "");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode report = TestGateway.json(r.body());
    assertThat(report.get("outcome").asText()).isEqualTo("UNVERIFIABLE");
    assertThat(report.get("note").asText()).contains("capture is off");
  }

  @Test
  void anUnknownRunIs404AndABadOverrideIs400() {
    String runId = recordedDigest(KEY);

    assertThat(client.post("/v1/ballast/runs/prun_nope/replay", "").statusCode()).isEqualTo(404);
    HttpResponse<String> group =
        client.post("/v1/ballast/runs/" + runId + "/replay", "{\"group\":\"nope\"}");
    assertThat(group.statusCode()).isEqualTo(400);
    assertThat(group.body()).contains("unknown model group \\\"nope\\\"");
    HttpResponse<String> stage =
        client.post("/v1/ballast/runs/" + runId + "/replay", "{\"from_stage\":\"later\"}");
    assertThat(stage.statusCode()).isEqualTo(400);
    assertThat(stage.body()).contains("later is not a stage");
    assertThat(client.post("/v1/ballast/runs/" + runId + "/replay", "{\"speed\":1}").statusCode())
        .isEqualTo(400);
  }

  private static List<String> decisions(String runId) {
    return gateway.store().journal().events(runId).stream()
        .map(JournalEntry::event)
        .filter(e -> e instanceof JournalEvent.ProviderAttempt)
        .map(e -> (JournalEvent.ProviderAttempt) e)
        .map(a -> a.deployment() + " " + a.outcome() + " " + a.decision())
        .toList();
  }
}
