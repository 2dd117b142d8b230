package dev.ballast.core.pipeline;

import java.util.Locale;

/** How a {@code retrieve} stage searches its collection. */
public enum RetrievalMode {
  VECTOR,
  KEYWORD,
  HYBRID;

  /** The name as written in a configuration and passed to a retriever. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException for any other name than vector, keyword or hybrid
   */
  public static RetrievalMode fromWire(String name) {
    return switch (name) {
      case "vector" -> VECTOR;
      case "keyword" -> KEYWORD;
      case "hybrid" -> HYBRID;
      default ->
          throw new IllegalArgumentException(
              "expected vector, keyword or hybrid, but was \"" + name + "\"");
    };
  }
}
