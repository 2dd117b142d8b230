package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import java.util.List;

/**
 * Decodes {@code streamGenerateContent?alt=sse}: every event is a whole {@code
 * GenerateContentResponse} holding the next parts. A function call arrives complete in one part.
 * There is no terminator after the last chunk, so the chunk that carries the finish reason ends the
 * stream (its usage, when sent, is in the same chunk).
 */
final class GeminiStreamDecoder implements StreamDecoder {
  private final StreamState state;
  private final ErrorResponses errors;
  private int toolCalls;

  GeminiStreamDecoder(StreamState state, ErrorResponses errors) {
    this.state = state;
    this.errors = errors;
  }

  @Override
  public boolean onEvent(String data) {
    JsonNode chunk = state.parse(data);
    if (chunk == null) {
      return false;
    }
    JsonNode error = chunk.get("error");
    if (error != null && error.isObject()) {
      String status = Nodes.text(error, "status");
      throw errors.inStream(
          GeminiResponseDecoder.errorStatus(status, Nodes.integer(error, "code")),
          status,
          Nodes.text(error, "message"),
          data);
    }
    GeminiResponseDecoder.throwIfPromptBlocked(chunk, data);
    String responseId = Nodes.text(chunk, "responseId");
    state.identify(responseId, Nodes.text(chunk, "modelVersion"), null);
    Usage usage = GeminiResponseDecoder.usage(chunk.get("usageMetadata"));
    if (usage != null) {
      state.usage(usage);
    }
    JsonNode candidate = chunk.path("candidates").path(0);
    for (JsonNode part : candidate.path("content").path("parts")) {
      onPart(part, responseId);
    }
    String reason = Nodes.text(candidate, "finishReason");
    if (reason == null) {
      return false;
    }
    state.finishReason(GeminiResponseDecoder.finishReason(reason, state.hasToolCalls()));
    return true;
  }

  private void onPart(JsonNode part, String responseId) {
    if (part.path("thought").asBoolean(false)) {
      return;
    }
    if (part.has("text")) {
      state.deliver(ChatDelta.text(part.path("text").asText()));
    } else if (part.has("functionCall")) {
      int index = toolCalls++;
      ToolCall call = GeminiResponseDecoder.toolCall(part.get("functionCall"), responseId, index);
      state.deliver(
          new ChatDelta(
              null,
              List.of(
                  new ChatDelta.ToolCallDelta(index, call.id(), call.name(), call.arguments()))));
    }
  }
}
