package dev.ballast.retrieval.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Markdown and plain-text parsing into sections of paragraphs. */
public final class TextParsers {
  private static final Pattern ATX = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?[ \\t#]*$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");

  private TextParsers() {}

  /**
   * Plain text: paragraphs are separated by blank lines; there are no headings or title. Line
   * breaks inside a paragraph are kept.
   */
  public static ParsedDocument plain(String text) {
    SectionBuilder out = new SectionBuilder();
    for (String paragraph : normalise(text).split("\\n[ \\t]*\\n")) {
      out.paragraph(paragraph);
    }
    return new ParsedDocument(null, out.sections());
  }

  /**
   * Markdown: ATX headings ({@code #} to {@code ######}) open sections; the first H1 is the title.
   * A fenced code block is one paragraph, blank lines included, and a {@code #} inside it is not a
   * heading. Setext headings (underlined with {@code ===}) are read as plain paragraphs.
   */
  public static ParsedDocument markdown(String text) {
    SectionBuilder out = new SectionBuilder();
    List<String> paragraph = new ArrayList<>();
    String fence = null;
    for (String line : normalise(text).split("\n", -1)) {
      if (fence != null) {
        paragraph.add(line);
        if (line.strip().startsWith(fence)) {
          fence = null;
          flush(paragraph, out);
        }
        continue;
      }
      Matcher fenceStart = FENCE.matcher(line);
      Matcher heading = ATX.matcher(line);
      if (fenceStart.find()) {
        flush(paragraph, out);
        fence = fenceStart.group(1);
        paragraph.add(line);
      } else if (heading.matches()) {
        flush(paragraph, out);
        String title = heading.group(2) == null ? "" : heading.group(2).strip();
        out.heading(heading.group(1).length(), title);
      } else if (line.isBlank()) {
        flush(paragraph, out);
      } else {
        paragraph.add(line);
      }
    }
    flush(paragraph, out);
    return new ParsedDocument(out.firstH1(), out.sections());
  }

  private static void flush(List<String> lines, SectionBuilder out) {
    if (!lines.isEmpty()) {
      out.paragraph(String.join("\n", lines));
      lines.clear();
    }
  }

  /** Unix line ends and no byte-order mark, so that the same text always hashes the same. */
  static String normalise(String text) {
    String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
    return t.replace("\r\n", "\n").replace('\r', '\n');
  }
}
