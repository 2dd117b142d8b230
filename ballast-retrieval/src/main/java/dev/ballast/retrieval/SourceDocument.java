package dev.ballast.retrieval;

import java.util.Objects;

/**
 * A document to chunk and ingest.
 *
 * @param id stable per source (a path relative to the ingested directory, or a URL); chunk ids and
 *     re-ingestion are keyed by it
 * @param name the file name, used as the title when the document names none
 */
public record SourceDocument(String id, String name, DocumentFormat format, String text) {
  public SourceDocument {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(text, "text");
    if (id.isBlank()) {
      throw new IllegalArgumentException("document id must not be blank");
    }
    name = name == null || name.isBlank() ? id : name;
  }
}
