package dev.ballast.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code collections.NAME.index}: how each node indexes a collection (docs/state.md).
 *
 * @param vectors the encoding of the vectors the nearest-neighbour graph searches (default {@code
 *     int8}, chosen by measurement: BENCHMARKS.md, "Retrieval at scale")
 * @param oversample a vector search gathers {@code k × oversample} candidates from the graph and
 *     rescores them with the full-precision vectors (default 8, chosen by measurement: recall@10
 *     0.94 against 0.88 at 4 on 200,000 synthetic chunks; 1 to rescore only the {@code k})
 * @param history how long a generation stays searchable on a node after a newer one committed, for
 *     searches that name an older generation; a generation an unfinished run pins stays searchable
 *     regardless (default 24h)
 */
public record CollectionIndexConfig(VectorEncoding vectors, int oversample, Duration history) {
  public static final CollectionIndexConfig DEFAULTS =
      new CollectionIndexConfig(VectorEncoding.INT8, 8, Duration.ofHours(24));

  public CollectionIndexConfig {
    Objects.requireNonNull(vectors, "vectors");
    Objects.requireNonNull(history, "history");
    if (oversample < 1 || oversample > 100) {
      throw new IllegalArgumentException(
          "oversample must be between 1 and 100, but was " + oversample);
    }
    if (history.isNegative()) {
      throw new IllegalArgumentException("history must not be negative, but was " + history);
    }
  }
}
