package dev.ballast.core.state;

import java.util.List;
import java.util.Objects;

/**
 * The complete new chunk list of one document. Committing it makes exactly these chunks live for
 * the document: a chunk whose content hash the document already holds live stays live (same id,
 * same vector, its original ordinal), the rest of the document's live chunks retire, and chunks
 * with new content become live. A document whose text did not change therefore changes nothing.
 *
 * @param documentId stable per source, e.g. its path or URL
 * @param sourceHash SHA-256 hex of the whole source text
 */
public record DocumentChunks(
    String documentId, String title, String contentType, String sourceHash, List<NewChunk> chunks) {
  public DocumentChunks {
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(sourceHash, "sourceHash");
    chunks = List.copyOf(chunks);
  }
}
