package dev.ballast.core.state;

import java.time.Instant;
import java.util.Objects;

/**
 * A document collection and the embedding model that produced every vector in it.
 *
 * @param generation the last committed generation; 0 for a collection with no ingestion yet
 * @param dimension the length of every vector in the collection
 */
public record CollectionInfo(
    String name, String embeddingModel, int dimension, long generation, Instant updatedAt) {
  public CollectionInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(embeddingModel, "embeddingModel");
    if (dimension <= 0) {
      throw new IllegalArgumentException("dimension must be positive, but was " + dimension);
    }
  }
}
