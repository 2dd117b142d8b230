package dev.ballast.retrieval;

import java.util.Locale;

/** How a collection is searched. */
public enum SearchMode {
  /** Nearest neighbours of the query vector (HNSW, cosine similarity); score = cosine. */
  VECTOR,
  /** BM25 over the chunk text; score = BM25. */
  KEYWORD,
  /**
   * Reciprocal-rank fusion of the vector and keyword rankings: each chunk scores {@code sum over
   * the two rankings of 1 / (60 + rank)} (rank from 1; a ranking the chunk is absent from adds
   * nothing), each ranking taken {@code max(4k, 40)} deep. Fusing ranks rather than scores needs no
   * calibration between cosine and BM25, whose scales are unrelated.
   */
  HYBRID;

  /** The name journals use: {@code vector}, {@code keyword}, {@code hybrid}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the value for anything but vector, keyword, hybrid
   */
  public static SearchMode parse(String mode) {
    if (mode != null) {
      for (SearchMode m : values()) {
        if (m.wireName().equalsIgnoreCase(mode.strip())) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException(
        "search mode must be one of vector, keyword, hybrid, but was \"" + mode + "\"");
  }
}
