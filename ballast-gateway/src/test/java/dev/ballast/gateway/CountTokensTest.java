package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Anthropic's {@code POST /v1/messages/count_tokens}: counted locally, nothing called or run. */
class CountTokensTest {
  private static final String BODY =
      """
      {"model":"default","system":"Be brief.","messages":[
        {"role":"user","content":"How many tokens is this sentence, roughly?"}],
       "tools":[{"name":"get_weather","input_schema":{"type":"object",
         "properties":{"city":{"type":"string"}}}}]}""";

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

  private static HttpResponse<String> count(String key, String body) {
    return gw.post("/v1/messages/count_tokens", key, body);
  }

  private static int runsOfTeam() {
    gw.gateway.journal().flush(Duration.ofSeconds(10));
    return json(gw.get("/v1/ballast/runs?limit=100", KEY).body()).get("data").size();
  }

  @Test
  void countsAsTheStreamingMessagesDoorEstimatesItsInput() {
    HttpResponse<String> counted = count(KEY, BODY);
    HttpResponse<String> streamed =
        gw.post(
            "/v1/messages", KEY, BODY.replaceFirst("\\{", "{\"max_tokens\":16,\"stream\":true,"));

    assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
    int tokens = json(counted.body()).get("input_tokens").asInt();
    assertThat(tokens).isGreaterThan(10);
    assertThat(json(counted.body()).size()).isEqualTo(1);
    String messageStart =
        streamed.body().lines().filter(l -> l.contains("message_start")).toList().getLast();
    assertThat(
            json(messageStart.substring("data: ".length()))
                .at("/message/usage/input_tokens")
                .asInt())
        .isEqualTo(tokens);
  }

  @Test
  void longerInputCountsMoreTokens() {
    int short_ = json(count(KEY, BODY).body()).get("input_tokens").asInt();
    int longer =
        json(count(KEY, BODY.replace("roughly?", "roughly, with a few more words in it?")).body())
            .get("input_tokens")
            .asInt();

    assertThat(longer).isGreaterThan(short_);
  }

  @Test
  void journalsNoRunAndCallsNoModel() {
    int before = runsOfTeam();
    int attempts = gw.gateway.simulator().attempts("sim").size();

    HttpResponse<String> counted = count(KEY, BODY);

    assertThat(counted.statusCode()).isEqualTo(200);
    assertThat(gw.gateway.simulator().attempts("sim")).hasSize(attempts);
    assertThat(counted.headers().firstValue("x-ballast-run-id")).isEmpty();
    assertThat(runsOfTeam()).isEqualTo(before);
  }

  @Test
  void acceptsAnthropicsApiKeyHeader() {
    HttpResponse<String> counted =
        gw.post("/v1/messages/count_tokens", null, BODY, Map.of("x-api-key", KEY));

    assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
  }

  @Test
  void anUnknownModelIsA404InAnthropicsShape() {
    HttpResponse<String> response = count(KEY, BODY.replace("\"default\"", "\"nope\""));

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode error = json(response.body());
    assertThat(error.get("type").asText()).isEqualTo("error");
    assertThat(error.at("/error/type").asText()).isEqualTo("not_found_error");
    assertThat(error.at("/error/message").asText()).contains("nope");
  }

  @Test
  void badInputIsA400InAnthropicsShapeNamingTheField() {
    HttpResponse<String> response = count(KEY, "{\"model\":\"default\",\"messages\":[]}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(json(response.body()).at("/error/message").asText()).contains("messages");
  }

  @Test
  void anUnknownKeyIsA401InAnthropicsShape() {
    HttpResponse<String> response = count("bk-nobody", BODY);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("authentication_error");
  }
}
