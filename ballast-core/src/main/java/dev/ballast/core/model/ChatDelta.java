package dev.ballast.core.model;

import java.util.List;

/**
 * One increment of a streamed answer.
 *
 * @param content new text, or null
 * @param toolCalls tool-call fragments, empty when none
 * @param model the answering model as the upstream names it, once known; null before
 */
public record ChatDelta(String content, List<ToolCallDelta> toolCalls, String model) {
  public ChatDelta {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public ChatDelta(String content, List<ToolCallDelta> toolCalls) {
    this(content, toolCalls, null);
  }

  /** This delta, naming the model that answers. */
  public ChatDelta withModel(String answering) {
    return new ChatDelta(content, toolCalls, answering);
  }

  public static ChatDelta text(String content) {
    return new ChatDelta(content, List.of());
  }

  /** True when the delta carries content a client would see (text or a tool call). */
  public boolean hasContent() {
    return (content != null && !content.isEmpty()) || !toolCalls.isEmpty();
  }

  /**
   * A fragment of a streamed tool call; {@code id} and {@code name} arrive on the first fragment of
   * a call, {@code arguments} is appended across fragments.
   */
  public record ToolCallDelta(int index, String id, String name, String arguments) {}
}
