package dev.ballast.core.state;

import java.util.List;

/**
 * A stored chunk. It is live at generation {@code g} when {@code fromGeneration <= g} and ({@code
 * toGeneration} is null or {@code g < toGeneration}). A chunk row never changes except for {@code
 * toGeneration}, which is set once, when a later generation retires it.
 *
 * @param id stable: derived from collection, document and content hash (and the occurrence of that
 *     hash in the document, for repeated text)
 * @param ordinal the chunk's position in its document when it was first written
 */
public record ChunkRecord(
    String id,
    String collection,
    String documentId,
    String title,
    int ordinal,
    String text,
    String contentHash,
    List<String> headings,
    long fromGeneration,
    Long toGeneration,
    float[] vector) {
  public ChunkRecord {
    headings = headings == null ? List.of() : List.copyOf(headings);
  }

  /** Whether this chunk is part of the collection as of {@code generation}. */
  public boolean liveAt(long generation) {
    return fromGeneration <= generation && (toGeneration == null || generation < toGeneration);
  }
}
