package dev.ballast.core.config;

import java.util.Locale;

/**
 * {@code deployments.NAME.continuation}: how a deployment is asked to continue a streamed answer
 * that another attempt began and could not finish.
 */
public enum ContinuationMode {
  /**
   * The text already delivered is sent as a trailing assistant message, which the model continues
   * (Anthropic Messages, Ollama, vLLM and other OpenAI-compatible servers that accept a prefill).
   */
  PREFILL,
  /**
   * The delivered text is sent as an assistant message followed by a user message asking the model
   * to continue exactly where it ends; any text the model repeats is stripped.
   */
  INSTRUCTION,
  /** The deployment never continues an answer. */
  NONE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode of a deployment whose config does not say: prefill where the wire format defines it
   * (Anthropic and Ollama continue a trailing assistant message; the simulator imitates them), an
   * instruction on the OpenAI wire, where the official API answers a trailing assistant message
   * with a new turn instead of continuing it. Azure OpenAI is the OpenAI wire; Gemini and Bedrock's
   * Converse (many models behind one API) do not promise to continue a trailing model turn.
   */
  public static ContinuationMode defaultFor(ProviderType type) {
    if (type == null) {
      return INSTRUCTION;
    }
    return switch (type) {
      case ANTHROPIC, OLLAMA, SIMULATOR -> PREFILL;
      case OPENAI, AZURE_OPENAI, GEMINI, BEDROCK, LOCAL -> INSTRUCTION;
    };
  }
}
