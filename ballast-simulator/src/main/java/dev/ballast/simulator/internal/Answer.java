package dev.ballast.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.FinishReason;
import java.util.List;

/**
 * The deterministic content of one simulated answer, before any wire format renders it.
 *
 * @param text the answer text, or null when the answer is a tool call
 * @param toolName the called tool, or null
 * @param toolCallId the call's id, or null
 * @param toolArguments the call's arguments as a JSON object, or null
 * @param pieces the streamed tokens: text fragments, or fragments of the compact arguments text
 */
public record Answer(
    String text,
    String toolName,
    String toolCallId,
    JsonNode toolArguments,
    FinishReason finishReason,
    int inputTokens,
    int outputTokens,
    List<String> pieces) {

  public boolean isToolCall() {
    return toolName != null;
  }

  /** The arguments as compact JSON text. */
  public String toolArgumentsText() {
    return toolArguments == null ? null : toolArguments.toString();
  }
}
