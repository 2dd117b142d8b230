package dev.ballast.core.stats;

import java.util.Locale;

/** What a spend report is grouped by. */
public enum SpendGroup {
  /** The tenant a call was made as. */
  TENANT,
  /** The managed key that made a call; none for configuration keys and calls no client key made. */
  KEY,
  /** The model group a call asked for. */
  MODEL,
  /** The pipeline whose stage made a call; none for calls made outside a pipeline. */
  PIPELINE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  public static SpendGroup parse(String value) {
    for (SpendGroup g : values()) {
      if (g.wireName().equals(value)) {
        return g;
      }
    }
    throw new IllegalArgumentException(
        "unknown group '" + value + "': expected tenant, key, model or pipeline");
  }
}
