package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.Usage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes Converse stream events ({@code {"EVENT_TYPE": payload}} from {@link EventStreamReader}).
 * Content blocks are numbered across text and tool use; tool-call deltas are numbered among tool
 * calls only. {@code messageStop} carries the stop reason and {@code metadata}, the last event, the
 * usage, so {@code metadata} ends the stream.
 */
final class BedrockStreamDecoder implements StreamDecoder {
  private final StreamState state;
  private final ErrorResponses errors;
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();

  BedrockStreamDecoder(StreamState state, ErrorResponses errors) {
    this.state = state;
    this.errors = errors;
  }

  @Override
  public boolean onEvent(String data) {
    JsonNode event = state.parse(data);
    if (event == null || !event.fieldNames().hasNext()) {
      return false;
    }
    String type = event.fieldNames().next();
    JsonNode payload = event.get(type);
    switch (type) {
      case "contentBlockStart" -> onBlockStart(payload);
      case "contentBlockDelta" -> onBlockDelta(payload);
      case "messageStop" ->
          state.finishReason(BedrockResponseDecoder.stopReason(Nodes.text(payload, "stopReason")));
      case "metadata" -> {
        Usage usage = BedrockResponseDecoder.usage(payload.get("usage"));
        if (usage != null) {
          state.usage(usage);
        }
        return true;
      }
      case "messageStart", "contentBlockStop" -> {
        // Nothing to aggregate: the role is always assistant, blocks end implicitly.
      }
      default -> {
        Integer status = BedrockResponseDecoder.errorStatus(type);
        if (status != null || type.endsWith("Exception")) {
          throw errors.inStream(
              status == null ? 500 : status, type, Nodes.text(payload, "message"), data);
        }
      }
    }
    return false;
  }

  private void onBlockStart(JsonNode payload) {
    JsonNode toolUse = payload.path("start").path("toolUse");
    if (toolUse.isObject()) {
      int toolIndex = toolIndexByBlock.size();
      toolIndexByBlock.put(payload.path("contentBlockIndex").asInt(), toolIndex);
      state.deliver(
          new ChatDelta(
              null,
              List.of(
                  new ChatDelta.ToolCallDelta(
                      toolIndex,
                      Nodes.text(toolUse, "toolUseId"),
                      Nodes.text(toolUse, "name"),
                      ""))));
    }
  }

  private void onBlockDelta(JsonNode payload) {
    JsonNode delta = payload.path("delta");
    if (delta.has("text")) {
      state.deliver(ChatDelta.text(delta.path("text").asText()));
    } else if (delta.has("toolUse")) {
      Integer toolIndex = toolIndexByBlock.get(payload.path("contentBlockIndex").asInt());
      if (toolIndex != null) {
        String json = Nodes.text(delta.path("toolUse"), "input");
        state.deliver(
            new ChatDelta(null, List.of(new ChatDelta.ToolCallDelta(toolIndex, null, null, json))));
      }
    }
    // Reasoning deltas are not part of the normalized answer.
  }
}
