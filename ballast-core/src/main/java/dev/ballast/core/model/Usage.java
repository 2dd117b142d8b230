package dev.ballast.core.model;

/**
 * Token usage of one answer.
 *
 * @param cachedTokens input tokens served from the provider's prompt cache (part of input)
 * @param reasoningTokens output tokens spent on hidden reasoning (part of output)
 * @param estimated true when the provider did not report usage and Ballast counted locally
 */
public record Usage(
    int inputTokens, int outputTokens, int cachedTokens, int reasoningTokens, boolean estimated) {

  public static final Usage ZERO = new Usage(0, 0, 0, 0, false);

  public int totalTokens() {
    return inputTokens + outputTokens;
  }
}
