package dev.ballast.core.model;

/** Why generation stopped, normalized across providers. */
public enum FinishReason {
  STOP("stop", "end_turn"),
  LENGTH("length", "max_tokens"),
  TOOL_CALLS("tool_calls", "tool_use"),
  CONTENT_FILTER("content_filter", "refusal");

  private final String openAi;
  private final String anthropic;

  FinishReason(String openAi, String anthropic) {
    this.openAi = openAi;
    this.anthropic = anthropic;
  }

  public String openAiName() {
    return openAi;
  }

  public String anthropicName() {
    return anthropic;
  }

  /**
   * Parses any provider's finish reason (OpenAI, Anthropic, Ollama); unknown values map to {@code
   * STOP} only when they clearly mean a normal end, otherwise null.
   */
  public static FinishReason parse(String value) {
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "stop", "end_turn", "stop_sequence", "eos" -> STOP;
      case "length", "max_tokens", "model_context_window_exceeded" -> LENGTH;
      case "tool_calls", "tool_use", "function_call" -> TOOL_CALLS;
      case "content_filter", "refusal" -> CONTENT_FILTER;
      default -> null;
    };
  }
}
