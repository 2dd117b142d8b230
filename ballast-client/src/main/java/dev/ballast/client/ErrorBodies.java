package dev.ballast.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Turns an error response into a {@link BallastApiException}. The gateway's bodies are OpenAI's
 * shape, {@code {"error":{"message","type","param","code"}}}; a proxy in front of it may answer
 * with anything, and then the exception says what failed rather than repeating an HTML page.
 */
final class ErrorBodies {
  private static final int MAX_PLAIN_MESSAGE = 200;

  private ErrorBodies() {}

  static BallastApiException toException(String method, URI uri, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    Duration retryAfter = retryAfter(response);
    JsonNode error = errorObject(response.body());
    if (error != null && error.isObject()) {
      String message = text(error, "message");
      return new BallastApiException(
          status,
          text(error, "type"),
          text(error, "code"),
          text(error, "param"),
          message == null ? fallback(method, uri) : message,
          retryAfter);
    }
    if (error != null && error.isTextual()) {
      return new BallastApiException(status, null, null, null, error.asText(), retryAfter);
    }
    return new BallastApiException(
        status, null, null, null, plain(method, uri, response), retryAfter);
  }

  /** The {@code error} member of a JSON body, or null when the body is not such JSON. */
  private static JsonNode errorObject(byte[] body) {
    try {
      JsonNode root = Wire.MAPPER.readTree(body);
      return root == null || !root.isObject() ? null : root.get("error");
    } catch (IOException e) {
      return null;
    }
  }

  /** A short one-line text body is a message worth showing; anything else is not. */
  private static String plain(String method, URI uri, HttpResponse<byte[]> response) {
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    String text = new String(response.body(), StandardCharsets.UTF_8).strip();
    boolean readable =
        contentType.startsWith("text/plain")
            && !text.isEmpty()
            && text.length() <= MAX_PLAIN_MESSAGE
            && text.indexOf('\n') < 0;
    return readable ? text : fallback(method, uri);
  }

  private static String fallback(String method, URI uri) {
    return method + " " + uri + " failed";
  }

  private static Duration retryAfter(HttpResponse<byte[]> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .filter(v -> v.matches("\\d{1,9}"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v)))
        .orElse(null);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
