package dev.ballast.core.state;

import java.util.List;
import java.util.Objects;

/**
 * A chunk of a document as the chunker produced it, to be committed with its document.
 *
 * @param ordinal the chunk's position in its document, from 0
 * @param contentHash SHA-256 hex of {@code text}
 * @param headings the heading path above the chunk, outermost first
 * @param vector the chunk's embedding, or null when the same document already holds a live chunk
 *     with this content hash whose vector the store reuses
 */
public record NewChunk(
    int ordinal, String text, String contentHash, List<String> headings, float[] vector) {
  public NewChunk {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(contentHash, "contentHash");
    headings = headings == null ? List.of() : List.copyOf(headings);
  }
}
