package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.FailureClassification;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes Gemini {@code GenerateContentResponse}s: the first candidate's parts, its finish reason
 * and {@code usageMetadata}. Gemini says {@code STOP} even when the model called a function, so an
 * answer with calls finishes as {@code tool_calls}. Function calls usually carry no id; one is made
 * from the response id and the call's position, so tool results can name the call they answer.
 */
final class GeminiResponseDecoder {
  /** The HTTP status each Google RPC status arrives with, for errors reported inside a stream. */
  private static final Map<String, Integer> ERROR_STATUS =
      Map.ofEntries(
          Map.entry("INVALID_ARGUMENT", 400),
          Map.entry("FAILED_PRECONDITION", 400),
          Map.entry("OUT_OF_RANGE", 400),
          Map.entry("UNAUTHENTICATED", 401),
          Map.entry("PERMISSION_DENIED", 403),
          Map.entry("NOT_FOUND", 404),
          Map.entry("RESOURCE_EXHAUSTED", 429),
          Map.entry("CANCELLED", 499),
          Map.entry("INTERNAL", 500),
          Map.entry("UNAVAILABLE", 503),
          Map.entry("DEADLINE_EXCEEDED", 504));

  private GeminiResponseDecoder() {}

  static ChatResponse chat(String body) {
    JsonNode root = Nodes.parseOrNull(body);
    if (root == null || !root.isObject()) {
      throw Answers.violation("generateContent response is not a JSON object", body);
    }
    throwIfPromptBlocked(root, body);
    JsonNode candidate = root.path("candidates").path(0);
    JsonNode parts = candidate.path("content").path("parts");
    if (!candidate.isObject() || (!parts.isArray() && !candidate.has("finishReason"))) {
      throw Answers.violation("generateContent response has no candidate content", body);
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode part : parts) {
      if (part.path("thought").asBoolean(false)) {
        continue;
      }
      if (part.has("text")) {
        text.append(part.path("text").asText());
      } else if (part.has("functionCall")) {
        calls.add(toolCall(part.get("functionCall"), Nodes.text(root, "responseId"), calls.size()));
      }
    }
    return new ChatResponse(
        Nodes.text(root, "responseId"),
        Nodes.text(root, "modelVersion"),
        null,
        Answers.assistant(text.toString(), calls),
        FinishReason.parse(finishReason(Nodes.text(candidate, "finishReason"), !calls.isEmpty())),
        usage(root.get("usageMetadata")),
        List.of(),
        body);
  }

  static ToolCall toolCall(JsonNode call, String responseId, int index) {
    String id = Nodes.text(call, "id");
    if (id == null) {
      id = "call_" + (responseId == null ? "gemini" : responseId) + "_" + index;
    }
    JsonNode args = call.path("args");
    return new ToolCall(
        id, Nodes.text(call, "name"), Nodes.write(args.isObject() ? args : Nodes.object()));
  }

  /**
   * Gemini's finish reasons in the normalized vocabulary; reasons with no normalized counterpart
   * ({@code OTHER}, {@code MALFORMED_FUNCTION_CALL}) stay as they are and normalize to null.
   */
  static String finishReason(String reason, boolean calledTools) {
    if (reason == null) {
      return null;
    }
    return switch (reason) {
      case "STOP" -> calledTools ? "tool_calls" : "stop";
      case "MAX_TOKENS" -> "length";
      case "SAFETY",
          "RECITATION",
          "BLOCKLIST",
          "PROHIBITED_CONTENT",
          "SPII",
          "IMAGE_SAFETY",
          "LANGUAGE" ->
          "content_filter";
      default -> reason;
    };
  }

  /**
   * A prompt Gemini refuses to answer comes back as 200 with {@code promptFeedback.blockReason} and
   * no candidates: a content-policy failure, classified by the one table as if it were the 400
   * other providers send.
   */
  static void throwIfPromptBlocked(JsonNode root, String raw) {
    String reason = Nodes.text(root.path("promptFeedback"), "blockReason");
    if (reason == null || root.path("candidates").size() > 0) {
      return;
    }
    String message = "prompt blocked by content policy: " + reason;
    throw new ProviderException(
        FailureClassification.fromHttpStatus(400, "content_policy", message),
        200,
        reason,
        null,
        message,
        raw,
        null);
  }

  /**
   * {@code candidatesTokenCount} leaves out thinking tokens, which are billed as output: they are
   * added, and reported as reasoning.
   */
  static Usage usage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    int thoughts = Nodes.integer(usage, "thoughtsTokenCount");
    return new Usage(
        Nodes.integer(usage, "promptTokenCount"),
        Nodes.integer(usage, "candidatesTokenCount") + thoughts,
        Nodes.integer(usage, "cachedContentTokenCount"),
        thoughts,
        false);
  }

  static int errorStatus(String status, int code) {
    return code >= 400 ? code : ERROR_STATUS.getOrDefault(status, 500);
  }
}
