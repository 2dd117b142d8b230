package dev.ballast.core.config;

import dev.ballast.core.model.Usage;

/**
 * USD per million tokens. Cached input tokens are billed at {@code cachedPerMillion} instead of
 * {@code inputPerMillion}.
 */
public record Price(double inputPerMillion, double outputPerMillion, double cachedPerMillion) {
  public static final Price FREE = new Price(0, 0, 0);

  /** The cost of one answer's usage in USD; zero for a null usage. */
  public double cost(Usage usage) {
    if (usage == null) {
      return 0;
    }
    int uncached = Math.max(0, usage.inputTokens() - usage.cachedTokens());
    return (uncached * inputPerMillion
            + usage.cachedTokens() * cachedPerMillion
            + usage.outputTokens() * outputPerMillion)
        / 1_000_000d;
  }
}
