package dev.ballast.core.config;

import java.util.Locale;

/**
 * {@code groups.NAME.strategy}: which of a group's own deployments a call tries first. The others
 * follow as failover targets in their configured order, then the fallback groups'. Deployments
 * whose breaker is open or that cool down after a 429 are never put first.
 */
public enum LoadStrategy {
  /** The configured order: the first available deployment takes every call (the default). */
  ORDERED,
  /** Calls spread by {@code weights} (smooth weighted round robin, per node). */
  WEIGHTED,
  /** The deployment with the fewest calls in flight on this node first. */
  LEAST_BUSY,
  /** The deployment with the lowest median time to first token recently first. */
  LATENCY;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
