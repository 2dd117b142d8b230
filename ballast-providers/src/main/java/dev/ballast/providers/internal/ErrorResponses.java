package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.FailureClassification;
import dev.ballast.core.Json;
import dev.ballast.core.ProviderException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Clock;

/**
 * Turns an HTTP error response into a {@link ProviderException}. One parser reads every error
 * shape: OpenAI and Azure {@code {"error":{"message","type","code"}}}, Anthropic {@code
 * {"type":"error","error":{"type","message"}}}, Gemini {@code
 * {"error":{"code","message","status"}}}, Bedrock {@code {"message"}} and Ollama {@code
 * {"error":"..."}}. The error class comes from {@link FailureClassification#fromHttpStatus}, never
 * from a second mapping.
 */
final class ErrorResponses {
  private static final int MAX_UNSTRUCTURED_MESSAGE = 200;

  private final String providerName;
  private final Secrets secrets;
  private final Clock clock;

  ErrorResponses(String providerName, Secrets secrets, Clock clock) {
    this.providerName = providerName;
    this.secrets = secrets;
    this.clock = clock;
  }

  ProviderException fromHttp(int status, HttpHeaders headers, String rawBody) {
    String body = secrets.redact(rawBody);
    Detail detail = withAwsErrorType(parse(body), headers);
    ErrorClass errorClass =
        FailureClassification.fromHttpStatus(status, detail.code, detail.message);
    String message =
        providerName
            + ": HTTP "
            + status
            + (detail.code == null ? "" : " " + detail.code)
            + ": "
            + detail.message;
    return new ProviderException(
        errorClass, status, detail.code, RetryAfter.parse(headers, clock), message, body, null);
  }

  /**
   * An error reported inside a stream (an Anthropic {@code error} event or an Ollama error line),
   * classified as if it had arrived with {@code status}.
   */
  ProviderException inStream(int status, String code, String message, String rawEvent) {
    ErrorClass errorClass = FailureClassification.fromHttpStatus(status, code, message);
    String text = secrets.redact(message);
    return new ProviderException(
        errorClass,
        status,
        code,
        null,
        providerName + ": error in stream" + (code == null ? "" : " " + code) + ": " + text,
        secrets.redact(rawEvent),
        null);
  }

  /**
   * AWS REST services name the error in {@code x-amzn-errortype} ({@code
   * ThrottlingException:http://...}) and put only a message in the body.
   */
  private static Detail withAwsErrorType(Detail detail, HttpHeaders headers) {
    if (detail.code != null || headers == null) {
      return detail;
    }
    return headers
        .firstValue("x-amzn-errortype")
        .map(type -> new Detail(type.split(":", 2)[0], detail.message))
        .orElse(detail);
  }

  private static Detail parse(String body) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      return new Detail(null, unstructured(body));
    }
    JsonNode error = root.path("error");
    if (error.isTextual()) {
      return new Detail(null, error.asText());
    }
    JsonNode source = error.isObject() ? error : root;
    String code = textOrNull(source.get("code"));
    if (code == null || source.path("code").isNumber()) {
      // Google's errors carry the HTTP status as a number in "code" and say what went wrong in
      // "status" (RESOURCE_EXHAUSTED, INVALID_ARGUMENT...), which is the code worth keeping.
      String named = textOrNull(source.get(source.path("status").isTextual() ? "status" : "type"));
      code = named != null ? named : code;
    }
    String message = textOrNull(source.get(source.has("message") ? "message" : "Message"));
    return new Detail(code, message == null ? unstructured(body) : message);
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
  }

  private static String unstructured(String body) {
    if (body == null || body.isBlank()) {
      return "(empty body)";
    }
    String trimmed = body.strip();
    return trimmed.length() <= MAX_UNSTRUCTURED_MESSAGE
        ? trimmed
        : trimmed.substring(0, MAX_UNSTRUCTURED_MESSAGE) + "...";
  }

  private record Detail(String code, String message) {}
}
