package dev.ballast.retrieval.internal;

import java.util.List;

/** A document's title (null when it names none) and its sections in order. */
public record ParsedDocument(String title, List<Section> sections) {
  public ParsedDocument {
    sections = List.copyOf(sections);
  }
}
