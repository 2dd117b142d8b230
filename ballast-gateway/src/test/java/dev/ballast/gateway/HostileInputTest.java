package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunStatus;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input found by fuzzing that reached deep into the gateway: each was a 500 (and for embeddings a
 * run that never ended); each is now a 400 naming the parameter, and no run is left running.
 */
class HostileInputTest {
  @TempDir static Path dataDir;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = new TestGateway(dataDir);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  static Stream<Arguments> bodies() {
    return Stream.of(
        Arguments.of("/v1/embeddings", "{\"model\":\"default\",\"input\":\"\"}", "input"),
        Arguments.of(
            "/v1/embeddings", "{\"model\":\"default\",\"input\":[\"a\",\"\"]}", "input[1]"),
        Arguments.of("/v1/embeddings", "{\"model\":\"default\",\"input\":\"a\\u0000b\"}", "input"),
        Arguments.of(
            "/v1/embeddings", "{\"model\":\"default\",\"input\":[\"\\ud800\"]}", "input[0]"),
        Arguments.of(
            "/v1/chat/completions",
            "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"\\udc00x\"}]}",
            "messages[0].content"),
        Arguments.of(
            "/v1/messages",
            "{\"model\":\"default\",\"max_tokens\":8,\"system\":\"\\u0000\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            "system"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("bodies")
  void unstorableOrEmptyTextIsA400NamingWhereItIs(String path, String body, String param) {
    HttpResponse<String> response = gw.post(path, KEY, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    // The OpenAI error shape names the parameter in "param", Anthropic's in the message.
    assertThat(json(response.body()).at("/error/message").asText()).contains("'" + param + "'");
  }

  @Test
  void anInstantBeyondWhatTheStoreCanCompareIsA400() {
    HttpResponse<String> response =
        gw.get("/v1/ballast/runs?since=-999999999-01-01T00:00:00Z", KEY);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/param").asText()).isEqualTo("since");
  }

  @Test
  void invalidJsonIsDescribedWithoutTheParsersInternals() {
    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, "{\"model\": tru");

    assertThat(response.statusCode()).isEqualTo(400);
    String message = json(response.body()).at("/error/message").asText();
    assertThat(message).contains("line 1").doesNotContain("Source").doesNotContain("Feature");
  }

  @Test
  void noRunIsLeftRunning() {
    gw.post("/v1/embeddings", KEY, "{\"model\":\"default\",\"input\":\"\"}");
    assertThat(gw.gateway.journal().flush(Duration.ofSeconds(10))).isTrue();

    assertThat(
            gw.gateway.store().journal().listRuns(RunQuery.latest(RunQuery.MAX_LIMIT)).stream()
                .filter(r -> r.status() == RunStatus.RUNNING))
        .isEmpty();
  }
}
