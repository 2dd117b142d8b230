package dev.ballast.core.config;

import java.time.Duration;

/**
 * {@code resilience.adaptive_first_token}: a deployment's first-token timeout learned from its
 * recent streamed answers, used when a fallback could take the call instead of waiting out the
 * configured timeout. The learned value is {@code quantile} of the last answers' time to first
 * token times {@code factor}, never below {@code floor} and never above the deployment's configured
 * {@code timeouts.first_token}.
 *
 * @param enabled whether timeouts are learned at all (default true)
 * @param quantile which quantile of recent times to first token (default 0.95)
 * @param factor the margin above it (default 3)
 * @param floor the shortest learned timeout (default 2 s)
 * @param minSamples answers needed before a timeout is learned (default 20)
 */
public record AdaptiveFirstTokenConfig(
    boolean enabled, double quantile, double factor, Duration floor, int minSamples) {

  public static final AdaptiveFirstTokenConfig DEFAULT =
      new AdaptiveFirstTokenConfig(true, 0.95, 3.0, Duration.ofSeconds(2), 20);
}
