package dev.ballast.cli;

import static dev.ballast.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.cli.CliRunner.Result;
import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.queue.QueueState;
import dev.ballast.gateway.Gateway;
import dev.ballast.pipeline.SubmitRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ballast replay} on runs a real gateway recorded in a SQLite store: a generate stage on the
 * in-process simulator, a transform and a validate. The gateway is closed before the CLI replays,
 * so every answer the replay gets comes from the journal.
 */
class ReplayCliTest {
  private static final String SHAPE =
      "{summary: \"{{stages.summarize.text}}\", doc: \"{{input.id}}\"}";
  @TempDir static Path dir;
  static Path data;
  static Path config;
  static final List<String> runs = new ArrayList<>();

  static String yaml(String shape) {
    return """
        providers:
          sim: {type: simulator}
        deployments:
          primary: {provider: sim, model: sim}
          terse: {provider: sim, model: "terse:tokens=3"}
        groups:
          default: {deployments: [primary]}
          terse: {deployments: [terse]}
        tenants:
          team: {keys: ["%s"]}
        workers: {concurrency: 2, lease: 5s, heartbeat: 1s, poll: 20ms}
        prompts:
          summarize: {system: "Answer in one sentence.", user: "Summarize: {{input.text}}"}
        pipelines:
          digest:
            stages:
              - {name: summarize, type: generate, group: default, prompt: summarize, timeout: 10s}
              - {name: shape, type: transform, output: %s}
              - {name: check, type: validate, of: shape, schema: {type: object, required: [summary]}}
        """
        .formatted(ConfigLoader.hashKey("bk-replay-cli"), shape);
  }

  @BeforeAll
  static void recordRuns() throws Exception {
    data = dir.resolve("data");
    config = dir.resolve("ballast.yaml");
    Files.writeString(config, yaml(SHAPE));
    BallastConfig parsed = ConfigLoader.load(config, Map.of());
    parsed = parsed.withServer(parsed.server().withDataDir(data).withPort(0));
    try (Gateway gateway = Gateway.start(parsed)) {
      for (int i = 0; i < 3; i++) {
        JsonNode input =
            JsonNodeFactory.instance.objectNode().put("text", "document " + i).put("id", "d" + i);
        String id =
            gateway
                .pipelines()
                .submit(new SubmitRequest("digest", "team", input, null, null))
                .run()
                .runId();
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () -> gateway.pipelines().find(id).orElseThrow().state() == QueueState.SUCCEEDED);
        runs.add(id);
      }
      gateway.journal().flush(Duration.ofSeconds(5));
    }
  }

  private static Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString(), "--data", data.toString()));
    return run(all.toArray(String[]::new));
  }

  @Test
  void aRecordedRunReplaysIdenticallyAndExitsZero() {
    Result result = cli("replay", runs.getFirst());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("run " + runs.getFirst() + "  pipeline  deterministic replay: IDENTICAL")
        .containsPattern("summarize\\s+replayed")
        .containsPattern("shape\\s+replayed")
        .containsPattern("check\\s+replayed")
        .doesNotContain("first divergence");
  }

  @Test
  void aBatchReplaysEveryRunOfThePipelineAndPrintsTheTable() {
    Result result = cli("replay", "--pipeline", "digest", "--since", "1h");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).containsPattern("identical\\s+3\n").endsWith("3 run(s) replayed\n");
    assertThat(result.err()).as("no progress bar when stderr is not a terminal").isEmpty();
  }

  @Test
  void aBatchLimitReplaysOnlyThatManyRuns() throws Exception {
    Result result = cli("replay", "--pipeline", "digest", "--limit", "2", "--json");

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    JsonNode reports = Json.mapper().readTree(result.out());
    assertThat(reports).hasSize(2);
    assertThat(reports.get(0).get("outcome").asText()).isEqualTo("IDENTICAL");
  }

  @Test
  void aChangedTransformExitsOneNamingTheStageAndBothHashes() throws Exception {
    Path changed = dir.resolve("changed.yaml");
    Files.writeString(changed, yaml(SHAPE.replace("}}\",", "}}!\",")));

    Result result =
        run("replay", runs.getFirst(), "--config", changed.toString(), "--data", data.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out())
        .contains("DIVERGED")
        .contains("first divergence:")
        .containsPattern("stage\\s+shape\n")
        .containsPattern("what\\s+stage_output\n")
        .containsPattern("expected\\s+[0-9a-f]{64}\n")
        .containsPattern("actual\\s+[0-9a-f]{64}\n");
  }

  @Test
  void aBatchWithADivergenceExitsOne() throws Exception {
    Path changed = dir.resolve("changed-batch.yaml");
    Files.writeString(changed, yaml(SHAPE.replace("}}\",", "}}!\",")));

    Result result =
        run(
            "replay",
            "--pipeline",
            "digest",
            "--config",
            changed.toString(),
            "--data",
            data.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).containsPattern("diverged at stage shape \\(stage_output\\)\\s+3\n");
  }

  @Test
  void aWhatIfWithAGroupCompletesAndNamesTheNewRun() throws Exception {
    // A what-if journals a new run of the pipeline; a copy of the store keeps it out of the
    // batches the other tests replay.
    Path copy = dir.resolve("what-if-data");
    try (var files = Files.walk(data)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(data.relativize(f).toString()));
      }
    }

    Result result =
        run(
            "replay",
            runs.getFirst(),
            "--group",
            "default",
            "--config",
            config.toString(),
            "--data",
            copy.toString());

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("what-if replay:").containsPattern("new run: prun_\\S+");
  }

  @Test
  void aWhatIfRunDiffsFirstAtTheOverriddenGroupAndShowsItsCallsInItsHeader() throws Exception {
    Path copy = dir.resolve("what-if-group-data");
    try (var files = Files.walk(data)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(data.relativize(f).toString()));
      }
    }
    String[] where = {"--config", config.toString(), "--data", copy.toString()};
    Result whatIf =
        run(concat(new String[] {"replay", runs.getFirst(), "--group", "terse"}, where));
    assertThat(whatIf.exit()).as(whatIf.out() + whatIf.err()).isZero();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("new run: (prun_\\S+)").matcher(whatIf.out());
    assertThat(m.find()).as(whatIf.out()).isTrue();
    String newRun = m.group(1);

    Result diff = run(concat(new String[] {"diff", runs.getFirst(), newRun, "--json"}, where));
    assertThat(diff.out()).as(diff.err()).contains("first_divergence");
    JsonNode first = Json.mapper().readTree(diff.out()).get("first_divergence");
    assertThat(first.get("scope").asText()).as(diff.out()).isEqualTo("summarize");
    assertThat(first.get("field").asText()).isEqualTo("group");
    assertThat(first.get("b").asText()).isEqualTo("terse");

    Result show = run(concat(new String[] {"runs", "show", newRun}, where));
    String header = show.out().lines().limit(2).collect(java.util.stream.Collectors.joining("\n"));
    assertThat(header).doesNotContain("model=null").doesNotContain("attempts 0 ");
    assertThat(header).containsPattern("attempts [1-9]").containsPattern("tokens [1-9]");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void anUnknownRunExitsTwoAndSaysSo() {
    Result result = cli("replay", "prun_nope");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("no run prun_nope in the journal");
  }

  @Test
  void neitherARunNorAPipelineIsAUsageError() {
    Result result = cli("replay");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("give either a RUN_ID or --pipeline NAME");
  }

  @Test
  void aBatchFilterWithARunIdIsAUsageError() {
    Result result = cli("replay", runs.getFirst(), "--status", "failed");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--status selects runs for a batch");
  }

  @Test
  void anUnknownGroupInAWhatIfIsAUsageError() {
    Result result = cli("replay", runs.getFirst(), "--group", "nope");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("unknown model group \"nope\"");
  }
}
