package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.Usage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes Messages stream events. Content blocks are numbered across text and tool use; tool-call
 * deltas are numbered among tool calls only, as in the OpenAI shape the normalized model follows.
 */
final class AnthropicStreamDecoder implements StreamDecoder {
  private final StreamState state;
  private final ErrorResponses errors;
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();

  AnthropicStreamDecoder(StreamState state, ErrorResponses errors) {
    this.state = state;
    this.errors = errors;
  }

  @Override
  public boolean onEvent(String data) {
    JsonNode event = state.parse(data);
    if (event == null) {
      return false;
    }
    switch (event.path("type").asText()) {
      case "message_start" -> onMessageStart(event.path("message"));
      case "content_block_start" -> onBlockStart(event);
      case "content_block_delta" -> onBlockDelta(event);
      case "message_delta" -> onMessageDelta(event);
      case "message_stop" -> {
        return true;
      }
      case "error" -> {
        JsonNode error = event.path("error");
        String type = Nodes.text(error, "type");
        throw errors.inStream(
            AnthropicResponseDecoder.errorStatus(type), type, Nodes.text(error, "message"), data);
      }
      default -> {
        // ping and content_block_stop carry nothing to aggregate.
      }
    }
    return false;
  }

  private void onMessageStart(JsonNode message) {
    state.identify(Nodes.text(message, "id"), Nodes.text(message, "model"), null);
    Usage usage = AnthropicResponseDecoder.usage(message.get("usage"));
    if (usage != null) {
      state.usage(usage);
    }
  }

  private void onBlockStart(JsonNode event) {
    JsonNode block = event.path("content_block");
    if ("tool_use".equals(Nodes.text(block, "type"))) {
      int toolIndex = toolIndexByBlock.size();
      toolIndexByBlock.put(event.path("index").asInt(), toolIndex);
      ChatDelta.ToolCallDelta call =
          new ChatDelta.ToolCallDelta(
              toolIndex, Nodes.text(block, "id"), Nodes.text(block, "name"), "");
      state.deliver(new ChatDelta(null, List.of(call)));
    } else if ("text".equals(Nodes.text(block, "type"))) {
      state.deliver(ChatDelta.text(Nodes.text(block, "text")));
    }
  }

  private void onBlockDelta(JsonNode event) {
    JsonNode delta = event.path("delta");
    switch (delta.path("type").asText()) {
      case "text_delta" -> state.deliver(ChatDelta.text(Nodes.text(delta, "text")));
      case "input_json_delta" -> {
        Integer toolIndex = toolIndexByBlock.get(event.path("index").asInt());
        if (toolIndex != null) {
          String json = Nodes.text(delta, "partial_json");
          state.deliver(
              new ChatDelta(
                  null, List.of(new ChatDelta.ToolCallDelta(toolIndex, null, null, json))));
        }
      }
      default -> {
        // Thinking and signature deltas are not part of the normalized answer.
      }
    }
  }

  /** message_delta carries the stop reason and the final output count (cumulative). */
  private void onMessageDelta(JsonNode event) {
    state.finishReason(Nodes.text(event.path("delta"), "stop_reason"));
    JsonNode usage = event.path("usage");
    if (usage.isObject()) {
      Usage before = state.usage() == null ? Usage.ZERO : state.usage();
      Usage update = AnthropicResponseDecoder.usage(usage);
      int input = usage.has("input_tokens") ? update.inputTokens() : before.inputTokens();
      int cached =
          usage.has("cache_read_input_tokens") ? update.cachedTokens() : before.cachedTokens();
      state.usage(new Usage(input, update.outputTokens(), cached, 0, false));
    }
  }
}
