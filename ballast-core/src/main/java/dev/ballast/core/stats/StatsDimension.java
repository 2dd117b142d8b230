package dev.ballast.core.stats;

import java.util.Locale;

/** What a statistics series is drawn per. */
public enum StatsDimension {
  /**
   * Per model group (the public model name a client asked for): one count per run, the latency the
   * client saw (all attempts, backoff and failover included), the run's tokens and cost.
   */
  GROUP,
  /**
   * Per deployment: one count per provider attempt, its outcome, its own latency and time to first
   * token, the tokens and cost of that attempt (failed and retried attempts included).
   */
  DEPLOYMENT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  public static StatsDimension parse(String value) {
    for (StatsDimension d : values()) {
      if (d.wireName().equals(value)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unknown dimension '" + value + "': expected group or deployment");
  }
}
