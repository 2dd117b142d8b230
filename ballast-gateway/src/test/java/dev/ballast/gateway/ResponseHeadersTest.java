package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The headers of a model call's answer a client can act on: OpenAI's rate-limit headers for the
 * tightest limit that applies, the call's cost and tokens, and the cost in a stream's last usage.
 */
class ResponseHeadersTest {
  // USD per million tokens: a call's cost is input × 0.001 + output × 0.002.
  private static final double INPUT_PRICE = 1000;
  private static final double OUTPUT_PRICE = 2000;

  @TempDir static Path dataDir;
  static Gateway gateway;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          priced: {provider: sim, model: sim, price: {input: 1000, output: 2000}}
        groups:
          default: {deployments: [priced]}
        admins: [root]
        tenants:
          root: {keys: ["%s"]}
          counted: {keys: ["%s"], limits: {requests_per_minute: 10, tokens_per_minute: 100000}}
          refused: {keys: ["%s"], limits: {requests_per_minute: 2}}
          streams: {keys: ["%s"], limits: {requests_per_minute: 50}}
          free: {keys: ["%s"]}
          keyed: {keys: ["%s"], limits: {requests_per_minute: 100}}
          embeds: {keys: ["%s"], limits: {requests_per_minute: 10}}
          astreams: {keys: ["%s"], limits: {requests_per_minute: 50}}
        """
            .formatted(
                ConfigLoader.hashKey("k-root"),
                ConfigLoader.hashKey("k-counted"),
                ConfigLoader.hashKey("k-refused"),
                ConfigLoader.hashKey("k-streams"),
                ConfigLoader.hashKey("k-free"),
                ConfigLoader.hashKey("k-keyed"),
                ConfigLoader.hashKey("k-embeds"),
                ConfigLoader.hashKey("k-astreams"));
    BallastConfig config = ConfigLoader.parse("headers", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void rateLimitHeadersCountDownWithEveryRequest() {
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      answers.add(post("/v1/chat/completions", "k-counted", chat(false)));
    }

    long firstTokens = tokensUsed(answers.get(0));
    for (int i = 0; i < answers.size(); i++) {
      HttpResponse<String> r = answers.get(i);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "x-ratelimit-limit-requests")).isEqualTo("10");
      assertThat(header(r, "x-ratelimit-remaining-requests")).isEqualTo(String.valueOf(9 - i));
      assertThat(header(r, "x-ratelimit-reset-requests")).matches("[1-5]?[0-9]s|1m0s");
      assertThat(header(r, "x-ratelimit-limit-tokens")).isEqualTo("100000");
      // The same request costs the same tokens each time: input counted at admission, output
      // when the answer arrived.
      assertThat(tokensUsed(r)).isEqualTo((i + 1) * firstTokens);
      assertThat(header(r, "x-ratelimit-reset-tokens")).matches("[1-5]?[0-9]s|1m0s");
    }
    assertThat(firstTokens)
        .isGreaterThanOrEqualTo(Long.parseLong(header(answers.get(0), "x-ballast-output-tokens")));
  }

  @Test
  void everyAnswerStatesItsCostAndTokens() {
    HttpResponse<String> r = post("/v1/chat/completions", "k-free", chat(false));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode usage = json(r.body()).path("usage");
    assertThat(header(r, "x-ballast-input-tokens")).isEqualTo(usage.path("prompt_tokens").asText());
    assertThat(header(r, "x-ballast-output-tokens"))
        .isEqualTo(usage.path("completion_tokens").asText());
    assertThat(Double.parseDouble(header(r, "x-ballast-cost-usd")))
        .isCloseTo(
            cost(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt()),
            within(1e-9))
        .isPositive();
    // No limit configured, no rate-limit headers.
    assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();
    assertThat(r.headers().firstValue("x-ratelimit-limit-tokens")).isEmpty();
  }

  @Test
  void messagesAndEmbeddingsStateTheirCostToo() {
    HttpResponse<String> message =
        post(
            "/v1/messages",
            "k-free",
            "{\"model\":\"default\",\"max_tokens\":16,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}");
    HttpResponse<String> embedding =
        post("/v1/embeddings", "k-embeds", "{\"model\":\"default\",\"input\":\"embed me\"}");

    assertThat(message.statusCode()).isEqualTo(200);
    JsonNode usage = json(message.body()).path("usage");
    assertThat(Double.parseDouble(header(message, "x-ballast-cost-usd")))
        .isCloseTo(
            cost(usage.path("input_tokens").asInt(), usage.path("output_tokens").asInt()),
            within(1e-9));
    assertThat(embedding.statusCode()).isEqualTo(200);
    int tokens = json(embedding.body()).at("/usage/prompt_tokens").asInt();
    assertThat(header(embedding, "x-ballast-input-tokens")).isEqualTo(String.valueOf(tokens));
    assertThat(header(embedding, "x-ballast-output-tokens")).isEqualTo("0");
    assertThat(Double.parseDouble(header(embedding, "x-ballast-cost-usd")))
        .isCloseTo(cost(tokens, 0), within(1e-9));
    assertThat(header(embedding, "x-ratelimit-limit-requests")).isEqualTo("10");
  }

  @Test
  void aRefusalByARateLimitCarriesTheHeadersAndRetryAfter() {
    post("/v1/chat/completions", "k-refused", chat(false));
    post("/v1/chat/completions", "k-refused", chat(false));

    HttpResponse<String> refused = post("/v1/chat/completions", "k-refused", chat(false));

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(header(refused, "retry-after")).matches("[1-9][0-9]?");
    assertThat(header(refused, "x-ratelimit-limit-requests")).isEqualTo("2");
    assertThat(header(refused, "x-ratelimit-remaining-requests")).isEqualTo("0");
    String reset = header(refused, "x-ratelimit-reset-requests");
    assertThat(reset).matches("[1-5]?[0-9]s|1m0s");
    // The reset is when the oldest request leaves the minute, which is what Retry-After says.
    assertThat(seconds(reset))
        .isBetween(
            Long.parseLong(header(refused, "retry-after")) - 1,
            Long.parseLong(header(refused, "retry-after")) + 1);
    assertThat(refused.headers().firstValue("x-ballast-cost-usd")).isEmpty();
  }

  @Test
  void aManagedKeysTighterLimitIsTheOneStated() {
    String key =
        json(post(
                    "/v1/ballast/keys",
                    "k-root",
                    "{\"tenant\":\"keyed\",\"limits\":{\"requests_per_minute\":3}}")
                .body())
            .path("key")
            .asText();

    HttpResponse<String> first = post("/v1/chat/completions", key, chat(false));
    HttpResponse<String> byTheTenantsKey = post("/v1/chat/completions", "k-keyed", chat(false));

    assertThat(header(first, "x-ratelimit-limit-requests")).isEqualTo("3");
    assertThat(header(first, "x-ratelimit-remaining-requests")).isEqualTo("2");
    // The tenant's own key answers to the tenant's limit, which counted both calls.
    assertThat(header(byTheTenantsKey, "x-ratelimit-limit-requests")).isEqualTo("100");
    assertThat(header(byTheTenantsKey, "x-ratelimit-remaining-requests")).isEqualTo("98");
  }

  @Test
  void aStreamSendsTheRateLimitHeadersAndItsLastUsageCarriesTheCost() {
    HttpResponse<String> r =
        post(
            "/v1/chat/completions",
            "k-streams",
            """
            {"model":"default","stream":true,"stream_options":{"include_usage":true},
             "messages":[{"role":"user","content":"stream please"}]}""");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "x-ratelimit-limit-requests")).isEqualTo("50");
    assertThat(header(r, "x-ratelimit-remaining-requests")).isEqualTo("49");
    JsonNode usage = null;
    for (String line : r.body().split("\n")) {
      if (line.startsWith("data: {") && line.contains("\"usage\":{")) {
        usage = json(line.substring(6)).path("usage");
      }
    }
    assertThat(usage).isNotNull();
    assertThat(usage.path("cost_usd").asDouble())
        .isCloseTo(
            cost(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt()),
            within(1e-9))
        .isPositive();
  }

  @Test
  void anAnthropicStreamsLastDeltaCarriesTheCost() {
    HttpResponse<String> r =
        post(
            "/v1/messages",
            "k-astreams",
            "{\"model\":\"default\",\"max_tokens\":32,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"stream please\"}]}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "x-ratelimit-limit-requests")).isEqualTo("50");
    JsonNode delta = null;
    for (String line : r.body().split("\n")) {
      if (line.startsWith("data: {") && line.contains("\"message_delta\"")) {
        delta = json(line.substring(6));
      }
    }
    assertThat(delta).isNotNull();
    JsonNode usage = delta.path("usage");
    assertThat(usage.path("cost_usd").asDouble())
        .isCloseTo(
            cost(usage.path("input_tokens").asInt(), usage.path("output_tokens").asInt()),
            within(1e-9))
        .isPositive();
  }

  private static long tokensUsed(HttpResponse<String> r) {
    return Long.parseLong(header(r, "x-ratelimit-limit-tokens"))
        - Long.parseLong(header(r, "x-ratelimit-remaining-tokens"));
  }

  private static long seconds(String goDuration) {
    if (goDuration.equals("1m0s")) {
      return 60;
    }
    return Long.parseLong(goDuration.substring(0, goDuration.length() - 1));
  }

  private static double cost(int input, int output) {
    return (input * INPUT_PRICE + output * OUTPUT_PRICE) / 1_000_000d;
  }

  private static String chat(boolean stream) {
    return TestGateway.chat("default", stream);
  }

  private static String header(HttpResponse<String> r, String name) {
    return r.headers()
        .firstValue(name)
        .orElseThrow(() -> new AssertionError("no " + name + " header in " + r.headers().map()));
  }

  private static HttpResponse<String> post(String path, String key, String body) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
              .header("authorization", "Bearer " + key)
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
