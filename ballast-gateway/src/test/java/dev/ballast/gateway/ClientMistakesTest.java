package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Client mistakes get a clear 4xx naming the problem, never a 500, and never hurt the server. */
class ClientMistakesTest {
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

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of(
            "malformed JSON",
            "{\"model\": \"default\", \"messages\": [",
            400,
            "invalid_json",
            null),
        Arguments.of("empty body", "", 400, "invalid_json", null),
        Arguments.of("body is an array", "[1,2]", 400, "invalid_json", null),
        Arguments.of(
            "missing model",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            400,
            "missing_required_parameter",
            "model"),
        Arguments.of(
            "missing messages",
            "{\"model\":\"default\"}",
            400,
            "missing_required_parameter",
            "messages"),
        Arguments.of(
            "messages of the wrong type",
            "{\"model\":\"default\",\"messages\":\"hi\"}",
            400,
            "invalid_type",
            "messages"),
        Arguments.of(
            "unknown role",
            "{\"model\":\"default\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
            400,
            "invalid_value",
            "messages[0].role"),
        Arguments.of(
            "temperature as a string",
            "{\"model\":\"default\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            400,
            "invalid_type",
            "temperature"),
        Arguments.of(
            "unknown model",
            "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            404,
            "model_not_found",
            "model"),
        Arguments.of(
            "oversized body",
            "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(70_000)
                + "\"}]}",
            413,
            "request_too_large",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void answersWithAClear4xxNamingTheProblem(
      String name, String body, int status, String code, String param) {
    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, body);

    assertThat(response.statusCode()).isEqualTo(status);
    var error = json(response.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).isNotBlank();
    if (param != null) {
      assertThat(error.get("param").asText()).isEqualTo(param);
    }
    assertThat(
            gw.post("/v1/chat/completions", KEY, TestGateway.chat("default", false)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aMissingOrWrongKeyIs401() {
    assertThat(
            gw.post("/v1/chat/completions", null, TestGateway.chat("default", false)).statusCode())
        .isEqualTo(401);
    HttpResponse<String> wrong =
        gw.post("/v1/chat/completions", "bk-nope", TestGateway.chat("default", false));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong.body()).at("/error/type").asText()).isEqualTo("authentication_error");
    assertThat(wrong.body()).doesNotContain("bk-nope");
  }

  @Test
  void anUnknownPathIs404InTheErrorShape() {
    HttpResponse<String> response = gw.post("/v1/completions/legacy", KEY, "{}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response.body()).at("/error/code").asText()).isEqualTo("unknown_url");
  }
}
