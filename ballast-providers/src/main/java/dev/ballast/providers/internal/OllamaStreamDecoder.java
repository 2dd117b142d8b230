package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes Ollama's NDJSON stream: one partial answer per line, the last one with {@code
 * "done":true}, the done reason and the counts. Tool calls arrive whole, never in fragments.
 */
final class OllamaStreamDecoder implements StreamDecoder {
  private static final int MID_STREAM_ERROR_STATUS = 500;

  private final StreamState state;
  private final ErrorResponses errors;
  private int toolCalls;

  OllamaStreamDecoder(StreamState state, ErrorResponses errors) {
    this.state = state;
    this.errors = errors;
  }

  @Override
  public boolean onEvent(String data) {
    JsonNode line = state.parse(data);
    if (line == null) {
      return false;
    }
    if (line.path("error").isTextual()) {
      throw errors.inStream(MID_STREAM_ERROR_STATUS, null, line.get("error").asText(), data);
    }
    state.identify(null, Nodes.text(line, "model"), null);
    JsonNode message = line.path("message");
    List<ChatDelta.ToolCallDelta> calls = new ArrayList<>();
    for (JsonNode node : message.path("tool_calls")) {
      ToolCall call = OllamaResponses.toolCall(node, toolCalls);
      calls.add(new ChatDelta.ToolCallDelta(toolCalls++, call.id(), call.name(), call.arguments()));
    }
    state.deliver(new ChatDelta(Nodes.text(message, "content"), calls));
    if (!line.path("done").asBoolean(false)) {
      return false;
    }
    String reason = Nodes.text(line, "done_reason");
    FinishReason finish = OllamaResponses.finishReason(reason, state.hasToolCalls());
    // An unknown reason is kept as sent; the aggregated answer then has no finish reason.
    state.finishReason(finish != null ? finish.openAiName() : reason);
    state.usage(OllamaResponses.usage(line));
    return true;
  }
}
