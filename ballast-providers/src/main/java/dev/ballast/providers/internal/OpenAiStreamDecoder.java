package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.Repair;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes OpenAI {@code chat.completion.chunk} events. {@code [DONE]} terminates; the usage chunk
 * (requested with {@code include_usage}) has no choices and arrives after the finish reason.
 */
final class OpenAiStreamDecoder implements StreamDecoder {
  private static final int MID_STREAM_ERROR_STATUS = 500;

  private final StreamState state;
  private final ErrorResponses errors;
  // Drift repairs are recorded once per stream, not once per chunk.
  private final List<Repair.Kind> repaired = new ArrayList<>();

  /**
   * Whether a delta carried {@code refusal}: the stream's finish then counts as {@code
   * content_filter}.
   */
  private boolean refused;

  OpenAiStreamDecoder(StreamState state, ErrorResponses errors) {
    this.state = state;
    this.errors = errors;
  }

  @Override
  public boolean onEvent(String data) {
    if (data.strip().equals("[DONE]")) {
      return true;
    }
    JsonNode chunk = state.parse(data);
    if (chunk == null) {
      return false;
    }
    if (chunk.path("error").isObject()) {
      JsonNode error = chunk.get("error");
      String code =
          Nodes.text(error, "code") != null ? Nodes.text(error, "code") : Nodes.text(error, "type");
      throw errors.inStream(MID_STREAM_ERROR_STATUS, code, Nodes.text(error, "message"), data);
    }
    state.identify(
        Nodes.text(chunk, "id"),
        Nodes.text(chunk, "model"),
        Nodes.text(chunk, "system_fingerprint"));
    if (chunk.path("usage").isObject()) {
      List<Repair> repairs = new ArrayList<>();
      state.usage(OpenAiResponseDecoder.usage(chunk.get("usage"), repairs));
      recordOnce(repairs);
    }
    JsonNode choices = chunk.path("choices");
    if (choices.isArray() && !choices.isEmpty()) {
      onChoice(choices.get(0));
    }
    return false;
  }

  private void onChoice(JsonNode choice) {
    JsonNode delta = choice.path("delta");
    List<Repair> repairs = new ArrayList<>();
    String content = delta.isObject() ? OpenAiResponseDecoder.content(delta, repairs) : null;
    List<ChatDelta.ToolCallDelta> calls = new ArrayList<>();
    for (JsonNode call : delta.path("tool_calls")) {
      JsonNode function = call.path("function");
      calls.add(
          new ChatDelta.ToolCallDelta(
              call.path("index").asInt(calls.size()),
              Nodes.text(call, "id"),
              Nodes.text(function, "name"),
              OpenAiResponseDecoder.arguments(function.get("arguments"), repairs)));
    }
    recordOnce(repairs);
    refused |= delta.isObject() && OpenAiResponseDecoder.refused(delta);
    state.deliver(new ChatDelta(content, calls));
    String finish = Nodes.text(choice, "finish_reason");
    if (finish != null && refused) {
      finish = OpenAiResponseDecoder.finishReason(finish, true).openAiName();
    }
    state.finishReason(finish);
  }

  private void recordOnce(List<Repair> repairs) {
    for (Repair repair : repairs) {
      if (!repaired.contains(repair.kind())) {
        repaired.add(repair.kind());
        state.repair(repair.kind(), repair.detail());
      }
    }
  }
}
