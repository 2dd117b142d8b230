package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Repair;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import dev.ballast.core.spi.StreamSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a stream has said so far: forwards deltas to the sink and aggregates them into the
 * final {@link ChatResponse}. Used by one reading thread only.
 */
final class StreamState {
  private static final int MAX_REPAIR_DETAIL = 120;

  private final StreamSink sink;
  private final AttemptGuard guard;
  private final StringBuilder text = new StringBuilder();
  private final Map<Integer, ToolCallBuilder> toolCalls = new TreeMap<>();
  private final List<Repair> repairs = new ArrayList<>();
  private String id;
  private String model;
  private String systemFingerprint;
  private String finishReason;
  private Usage usage;

  StreamState(StreamSink sink, AttemptGuard guard) {
    this.sink = sink;
    this.guard = guard;
  }

  /** Parses a payload; a payload that is not JSON is dropped and recorded, never forwarded. */
  JsonNode parse(String data) {
    JsonNode node = Nodes.parseOrNull(data);
    if (node == null || !node.isObject()) {
      repair(Repair.Kind.MALFORMED_CHUNK_DROPPED, abbreviate(data));
      return null;
    }
    return node;
  }

  void deliver(ChatDelta delta) {
    if (!delta.hasContent()) {
      return;
    }
    if (delta.content() != null) {
      text.append(delta.content());
    }
    for (ChatDelta.ToolCallDelta call : delta.toolCalls()) {
      toolCalls.computeIfAbsent(call.index(), i -> new ToolCallBuilder()).add(call);
    }
    guard.firstToken();
    sink.onDelta(model == null || delta.model() != null ? delta : delta.withModel(model));
  }

  void identify(String id, String model, String systemFingerprint) {
    this.id = id != null ? id : this.id;
    this.model = model != null ? model : this.model;
    this.systemFingerprint = systemFingerprint != null ? systemFingerprint : this.systemFingerprint;
  }

  void finishReason(String reason) {
    if (reason != null) {
      finishReason = reason;
    }
  }

  boolean hasFinishReason() {
    return finishReason != null;
  }

  boolean hasToolCalls() {
    return !toolCalls.isEmpty();
  }

  void usage(Usage newUsage) {
    usage = newUsage;
  }

  Usage usage() {
    return usage;
  }

  void repair(Repair.Kind kind, String detail) {
    repairs.add(new Repair(kind, detail));
  }

  /**
   * The aggregated answer. A stream that ended without its terminator is still an answer when the
   * provider had already said why it finished; without a finish reason it was cut off.
   */
  ChatResponse finish(boolean terminated, String raw) {
    if (!terminated) {
      if (finishReason == null) {
        throw new ProviderException(
            ErrorClass.STREAM_TRUNCATED,
            0,
            null,
            null,
            "stream ended before a finish reason",
            raw,
            null);
      }
      repair(Repair.Kind.MISSING_STREAM_TERMINATOR, "finish reason " + finishReason);
    }
    List<ToolCall> calls = toolCalls.values().stream().map(ToolCallBuilder::build).toList();
    return new ChatResponse(
        id,
        model,
        systemFingerprint,
        Answers.assistant(text.toString(), calls),
        FinishReason.parse(finishReason),
        usage,
        repairs,
        raw);
  }

  private static String abbreviate(String data) {
    return data.length() <= MAX_REPAIR_DETAIL ? data : data.substring(0, MAX_REPAIR_DETAIL) + "...";
  }

  private static final class ToolCallBuilder {
    private String id;
    private String name;
    private final StringBuilder arguments = new StringBuilder();

    void add(ChatDelta.ToolCallDelta delta) {
      id = delta.id() != null ? delta.id() : id;
      name = delta.name() != null ? delta.name() : name;
      if (delta.arguments() != null) {
        arguments.append(delta.arguments());
      }
    }

    ToolCall build() {
      return new ToolCall(id, name, arguments.toString());
    }
  }
}
