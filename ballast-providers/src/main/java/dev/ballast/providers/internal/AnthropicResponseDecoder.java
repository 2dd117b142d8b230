package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes Anthropic Messages answers. {@code tool_use} inputs are objects on this wire, so
 * serializing them is the normal translation, not a repair.
 */
final class AnthropicResponseDecoder {
  /**
   * The HTTP status each Anthropic error type arrives with, so that an error inside a stream is
   * classified exactly like the same error as a response.
   */
  private static final Map<String, Integer> ERROR_STATUS =
      Map.of(
          "invalid_request_error", 400,
          "authentication_error", 401,
          "permission_error", 403,
          "not_found_error", 404,
          "request_too_large", 413,
          "rate_limit_error", 429,
          "api_error", 500,
          "overloaded_error", 529);

  private AnthropicResponseDecoder() {}

  static ChatResponse chat(String body) {
    JsonNode root = Nodes.parseOrNull(body);
    if (root == null || !root.path("content").isArray()) {
      throw Answers.violation("messages response has no content array", body);
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode block : root.get("content")) {
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "tool_use" ->
            calls.add(
                new ToolCall(
                    Nodes.text(block, "id"),
                    Nodes.text(block, "name"),
                    Nodes.write(
                        block.path("input").isMissingNode()
                            ? Nodes.object()
                            : block.get("input"))));
        default -> {
          // Thinking and other block types carry nothing the normalized model represents.
        }
      }
    }
    return new ChatResponse(
        Nodes.text(root, "id"),
        Nodes.text(root, "model"),
        null,
        Answers.assistant(text.toString(), calls),
        FinishReason.parse(Nodes.text(root, "stop_reason")),
        usage(root.get("usage")),
        List.of(),
        body);
  }

  /**
   * Anthropic counts cache reads and writes apart from {@code input_tokens}; the normalized model
   * counts cached tokens as part of the input, so they are added back.
   */
  static Usage usage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    int cacheRead = Nodes.integer(usage, "cache_read_input_tokens");
    int cacheWrite = Nodes.integer(usage, "cache_creation_input_tokens");
    return new Usage(
        Nodes.integer(usage, "input_tokens") + cacheRead + cacheWrite,
        Nodes.integer(usage, "output_tokens"),
        cacheRead,
        0,
        false);
  }

  static int errorStatus(String type) {
    return ERROR_STATUS.getOrDefault(type, 500);
  }
}
