package dev.ballast.core.config;

import java.util.Objects;

/**
 * {@code collections.NAME}: a document collection, the model that embeds it and how its documents
 * are chunked.
 *
 * @param embedding {@link #LOCAL} for the embedded local model (offline, the default), or the name
 *     of a model group whose deployments embed through the gateway's resilience chain
 * @param chunkTokens the target size of a chunk in tokens (default 256)
 * @param overlapTokens how many tokens of a chunk's end begin the next one (default 32)
 * @param seed a directory or file ingested when the collection is still empty at start, or {@code
 *     builtin:sample-docs} for the sample corpus shipped with Ballast; null for none
 * @param index how each node indexes the collection
 */
public record CollectionConfig(
    String name,
    String embedding,
    int chunkTokens,
    int overlapTokens,
    String seed,
    CollectionIndexConfig index) {
  public static final String LOCAL = "local";
  public static final String SAMPLE_DOCS = "builtin:sample-docs";

  public CollectionConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(embedding, "embedding");
    index = index == null ? CollectionIndexConfig.DEFAULTS : index;
    if (overlapTokens < 0 || overlapTokens >= chunkTokens) {
      throw new IllegalArgumentException(
          "overlapTokens must be between 0 and chunkTokens - 1 ("
              + (chunkTokens - 1)
              + "), but was "
              + overlapTokens);
    }
  }

  /** A collection indexed with the defaults. */
  public CollectionConfig(
      String name, String embedding, int chunkTokens, int overlapTokens, String seed) {
    this(name, embedding, chunkTokens, overlapTokens, seed, CollectionIndexConfig.DEFAULTS);
  }

  public boolean local() {
    return LOCAL.equals(embedding);
  }
}
