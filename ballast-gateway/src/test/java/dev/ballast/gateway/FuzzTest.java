package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunStatus;
import dev.ballast.testkit.fuzz.HttpFuzzer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No client input can hurt the node: about a minute of seeded hostile requests over real sockets
 * against both doors and every POST endpoint (hostile JSON and schemas, broken encodings, abusive
 * paths, queries and headers). Afterwards no request got a 5xx for its own mistake, none hung,
 * every run has ended, no bulkhead slot is held, and the node still answers. {@code bench/fuzz.sh}
 * runs the same fuzzer for longer.
 */
class FuzzTest {
  private static final long SEED = 20261207L;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path dataDir;

  static BallastConfig config(Path dataDir) {
    String yaml =
        """
        server: {port: 0, max_body_bytes: 262144}
        providers: {sim: {type: simulator}}
        deployments:
          sim: {provider: sim, model: sim, max_concurrent: 16}
          sim-b: {provider: sim, model: "sim:tokens=5", max_concurrent: 16}
        groups:
          default: {deployments: [sim, sim-b]}
          short: {deployments: [sim-b]}
        admins: [team]   # reads the node's in-flight calls in /v1/ballast/status
        tenants: {team: {keys: ["%s"]}}
        workers: {concurrency: 2, poll: 50ms}
        collections:
          docs: {embedding: default, owner: team}
        prompts:
          say: {user: "{{input.text}}"}
        pipelines:
          echo:
            stages:
              - {name: say, type: generate, group: default, prompt: say}
              - {name: shape, type: transform, output: {said: "{{stages.say.text}}"}}
        """
            .formatted(ConfigLoader.hashKey(TestGateway.KEY));
    BallastConfig config = ConfigLoader.parse("fuzz", yaml, Map.of());
    return config.withServer(config.server().withDataDir(dataDir));
  }

  @Test
  void hostileRequestsGetNoServerErrorsAndLeaveNothingBehind() throws Exception {
    try (Gateway gateway = Gateway.start(config(dataDir))) {
      HttpFuzzer.Report report =
          new HttpFuzzer(
                  "127.0.0.1",
                  gateway.port(),
                  TestGateway.KEY,
                  List.of("default", "short", "no-such-model"),
                  List.of("echo", "no-such-pipeline"),
                  List.of("docs"))
              .requestLimit(Duration.ofSeconds(30))
              .run(SEED, 1_500, Duration.ofSeconds(45), 4);

      System.out.printf(
          "fuzz: %d requests in %s; statuses %s; kinds %s%n",
          report.requests(), report.elapsed(), report.statusSummary(), report.byKind());
      assertThat(report.findings()).as("findings in %d requests", report.requests()).isEmpty();
      assertThat(report.requests()).isGreaterThan(100);

      assertThat(gateway.journal().flush(Duration.ofSeconds(30))).isTrue();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          gateway
                              .store()
                              .journal()
                              .listRuns(RunQuery.latest(RunQuery.MAX_LIMIT))
                              .stream()
                              .filter(r -> r.status() == RunStatus.RUNNING)
                              .map(r -> r.id()))
                      .as("runs still running")
                      .isEmpty());
      HttpResponse<String> status = get(gateway, "/v1/ballast/status");
      JsonNode deployments = TestGateway.json(status.body()).get("deployments");
      deployments
          .fields()
          .forEachRemaining(
              d -> assertThat(d.getValue().get("in_flight").asInt()).as(d.getKey()).isZero());
      assertThat(get(gateway, "/healthz").statusCode()).isEqualTo(200);
      assertThat(chat(gateway).statusCode()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> get(Gateway gateway, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("authorization", "Bearer " + TestGateway.KEY)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> chat(Gateway gateway) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .header("authorization", "Bearer " + TestGateway.KEY)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(TestGateway.chat("default", false)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
