package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes Ollama {@code /api/chat} answers. Tool arguments are objects on this wire and calls have
 * no ids, so both are filled in as the normal translation, not as repairs.
 */
final class OllamaResponses {
  private OllamaResponses() {}

  static ChatResponse chat(String body) {
    JsonNode root = Nodes.parseOrNull(body);
    if (root == null || !root.path("message").isObject()) {
      throw Answers.violation("chat response has no message object", body);
    }
    JsonNode message = root.get("message");
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode call : message.path("tool_calls")) {
      calls.add(toolCall(call, calls.size()));
    }
    return new ChatResponse(
        null,
        Nodes.text(root, "model"),
        null,
        Answers.assistant(Nodes.text(message, "content"), calls),
        finishReason(Nodes.text(root, "done_reason"), !calls.isEmpty()),
        usage(root),
        List.of(),
        body);
  }

  static ToolCall toolCall(JsonNode call, int position) {
    JsonNode function = call.path("function");
    JsonNode arguments = function.get("arguments");
    String id = Nodes.text(call, "id");
    return new ToolCall(
        id != null ? id : "call_" + position,
        Nodes.text(function, "name"),
        arguments == null || arguments.isNull()
            ? "{}"
            : arguments.isTextual() ? arguments.asText() : Nodes.write(arguments));
  }

  /** Ollama says "stop" even when the model called tools; the calls are what matter. */
  static FinishReason finishReason(String doneReason, boolean calledTools) {
    if (calledTools) {
      return FinishReason.TOOL_CALLS;
    }
    return FinishReason.parse(doneReason == null ? "stop" : doneReason);
  }

  /** Ollama omits {@code prompt_eval_count} when the whole prompt came from its cache. */
  static Usage usage(JsonNode root) {
    if (!root.has("eval_count") && !root.has("prompt_eval_count")) {
      return null;
    }
    return new Usage(
        Nodes.integer(root, "prompt_eval_count"), Nodes.integer(root, "eval_count"), 0, 0, false);
  }
}
