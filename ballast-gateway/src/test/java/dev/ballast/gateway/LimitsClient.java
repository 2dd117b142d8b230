package dev.ballast.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A client of one gateway node for the limits tests: every front door that spends, over real HTTP,
 * and the cost of an answer read from its own usage at the tests' price (USD 1000 per million
 * tokens, input and output alike, so a token costs a tenth of a cent).
 */
final class LimitsClient {
  static final double USD_PER_TOKEN = 0.001;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String baseUrl;

  LimitsClient(Gateway gateway) {
    this.baseUrl = gateway.baseUrl();
  }

  HttpResponse<String> chat(String key, int maxTokens) {
    return chat(key, maxTokens, "default");
  }

  HttpResponse<String> chat(String key, int maxTokens, String model) {
    return post(
        "/v1/chat/completions",
        key,
        "{\"model\":\""
            + model
            + "\",\"max_tokens\":"
            + maxTokens
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        Map.of());
  }

  HttpResponse<String> messages(String key, int maxTokens) {
    return post(
        "/v1/messages",
        key,
        "{\"model\":\"default\",\"max_tokens\":"
            + maxTokens
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        Map.of());
  }

  HttpResponse<String> embeddings(String key) {
    return post(
        "/v1/embeddings",
        key,
        "{\"model\":\"embeddings\",\"input\":\"a b c d e f g h\"}",
        Map.of());
  }

  /** What an answered call cost, from the usage in its body (OpenAI or Anthropic shape). */
  static double cost(HttpResponse<String> answered) {
    JsonNode usage = TestGateway.json(answered.body()).path("usage");
    long tokens =
        usage.path("prompt_tokens").asLong()
            + usage.path("completion_tokens").asLong()
            + usage.path("input_tokens").asLong()
            + usage.path("output_tokens").asLong();
    return tokens * USD_PER_TOKEN;
  }

  HttpResponse<String> post(String path, String key, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .header("authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return send(request.build());
  }

  HttpResponse<String> get(String path, String key) {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .header("authorization", "Bearer " + key)
            .GET()
            .build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
