package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunStatus;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression: blank embeddings input used to leave its run {@code running} forever (the embeddings
 * path journaled no terminal event for a failure that was not a provider's) and answered 500.
 */
class BlankEmbeddingsInputTest {
  @TempDir static Path dataDir;
  static Gateway gateway;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
          local: {type: local}
        deployments:
          sim: {provider: sim, model: sim}
          local-minilm: {provider: local, model: all-minilm-l6-v2}
        groups:
          default: {deployments: [sim]}
          local-embeddings: {deployments: [local-minilm]}
        tenants:
          team: {keys: ["%s"]}
        """
            .formatted(ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse("blank", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
    gw = new TestGateway(gateway);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\"", "[\"\"]", "[\"a\", \"\"]"})
  void anEmptyStringIsA400NamingTheInput(String input) {
    for (String model : List.of("default", "local-embeddings")) {
      HttpResponse<String> response =
          gw.post("/v1/embeddings", KEY, "{\"model\":\"" + model + "\",\"input\":" + input + "}");

      assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
      assertThat(json(response.body()).at("/error/param").asText()).startsWith("input");
    }
    assertThat(runningRuns()).isEmpty();
  }

  @Test
  void blankTextForTheLocalModelIsA400AndItsRunEnds() {
    HttpResponse<String> response =
        gw.post("/v1/embeddings", KEY, "{\"model\":\"local-embeddings\",\"input\":[\"  \"]}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    List<JournalEntry> journal = journal(response);
    assertThat(journal.getLast().event())
        .isInstanceOfSatisfying(
            RunFailed.class, f -> assertThat(f.errorClass()).isEqualTo("bad_request"));
    assertThat(runningRuns()).isEmpty();
  }

  private static List<JournalEntry> journal(HttpResponse<?> response) {
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
    assertThat(gateway.journal().flush(Duration.ofSeconds(10))).isTrue();
    return gateway.store().journal().events(runId);
  }

  private static List<?> runningRuns() {
    assertThat(gateway.journal().flush(Duration.ofSeconds(10))).isTrue();
    return gateway
        .store()
        .journal()
        .listRuns(new RunQuery("team", null, RunStatus.RUNNING, null, null, null, 100));
  }
}
