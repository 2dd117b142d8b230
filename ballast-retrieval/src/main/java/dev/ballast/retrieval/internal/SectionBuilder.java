package dev.ballast.retrieval.internal;

import java.util.ArrayList;
import java.util.List;

/** Collects paragraphs under a heading stack into sections; shared by the format parsers. */
final class SectionBuilder {
  private final List<Section> sections = new ArrayList<>();
  private final List<String> headings = new ArrayList<>();
  private final List<Integer> levels = new ArrayList<>();
  private List<String> paragraphs = new ArrayList<>();
  private String firstH1;

  /** A heading of {@code level} (1–6) closes the current section and replaces deeper headings. */
  void heading(int level, String text) {
    flushSection();
    while (!levels.isEmpty() && levels.getLast() >= level) {
      levels.removeLast();
      headings.removeLast();
    }
    levels.add(level);
    headings.add(text);
    if (level == 1 && firstH1 == null && !text.isBlank()) {
      firstH1 = text;
    }
  }

  void paragraph(String text) {
    String trimmed = text.strip();
    if (!trimmed.isEmpty()) {
      paragraphs.add(trimmed);
    }
  }

  String firstH1() {
    return firstH1;
  }

  List<Section> sections() {
    flushSection();
    return List.copyOf(sections);
  }

  private void flushSection() {
    if (!paragraphs.isEmpty()) {
      sections.add(new Section(headings, paragraphs));
      paragraphs = new ArrayList<>();
    }
  }
}
