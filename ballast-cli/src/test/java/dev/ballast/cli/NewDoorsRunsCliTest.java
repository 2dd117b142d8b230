package dev.ballast.cli;

import static dev.ballast.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.cli.CliRunner.Result;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.gateway.Gateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Runs of the Responses and legacy completions doors are runs like chat's: {@code ballast runs
 * list} and {@code show} show them with their door, and {@code ballast replay} replays them.
 */
class NewDoorsRunsCliTest {
  private static final String KEY = "bk-new-doors";
  @TempDir static Path dir;
  static Path data;
  static Path config;
  static final List<String> runs = new ArrayList<>();

  @BeforeAll
  static void recordRuns() throws Exception {
    data = dir.resolve("data");
    config = dir.resolve("ballast.yaml");
    Files.writeString(
        config,
        """
        providers:
          sim: {type: simulator}
        deployments:
          primary: {provider: sim, model: sim}
        groups:
          default: {deployments: [primary]}
        tenants:
          team: {keys: ["%s"]}
        """
            .formatted(ConfigLoader.hashKey(KEY)));
    BallastConfig parsed = ConfigLoader.load(config, Map.of());
    parsed = parsed.withServer(parsed.server().withDataDir(data).withPort(0));
    HttpClient http = HttpClient.newHttpClient();
    try (Gateway gateway = Gateway.start(parsed)) {
      for (String[] call :
          new String[][] {
            {"/v1/responses", "{\"model\":\"default\",\"input\":\"via responses\"}"},
            {"/v1/completions", "{\"model\":\"default\",\"prompt\":\"via completions\"}"}
          }) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + call[0]))
                    .header("authorization", "Bearer " + KEY)
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(call[1]))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        runs.add(response.headers().firstValue("x-ballast-run-id").orElseThrow());
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
  void runsListShowsTheRunsOfBothDoors() {
    Result result = run("runs", "list", "--data", data.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains(runs.get(0)).contains(runs.get(1));
  }

  @Test
  void runsShowNamesTheDoorEachRunCameThrough() {
    Result responses = run("runs", "show", runs.get(0), "--data", data.toString());
    Result completions = run("runs", "show", runs.get(1), "--data", data.toString());

    assertThat(responses.exit()).as(responses.err()).isZero();
    assertThat(responses.out()).contains("api=openai.responses");
    assertThat(completions.out()).contains("api=openai.completions");
  }

  @Test
  void bothRunsReplayIdentically() {
    for (String runId : runs) {
      Result result = cli("replay", runId);

      assertThat(result.exit()).as(result.out() + result.err()).isZero();
      assertThat(result.out()).contains("IDENTICAL");
    }
  }
}
