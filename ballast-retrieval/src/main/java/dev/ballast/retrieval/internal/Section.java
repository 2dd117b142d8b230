package dev.ballast.retrieval.internal;

import java.util.List;

/**
 * A run of paragraphs under one heading path, as a parser found it.
 *
 * @param headings outermost first; empty for text before any heading
 * @param paragraphs non-blank, in order
 */
public record Section(List<String> headings, List<String> paragraphs) {
  public Section {
    headings = List.copyOf(headings);
    paragraphs = List.copyOf(paragraphs);
  }
}
