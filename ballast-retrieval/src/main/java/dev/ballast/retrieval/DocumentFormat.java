package dev.ballast.retrieval;

import java.util.Locale;

/** The source formats the {@link Chunker} understands, with the content type collections record. */
public enum DocumentFormat {
  /** Split by ATX headings ({@code #} to {@code ######}); the first H1 is the title. */
  MARKDOWN("text/markdown"),
  /** Split by paragraphs (blank lines); no headings. */
  PLAIN("text/plain"),
  /**
   * Parsed with jsoup: {@code <title>}, {@code h1}–{@code h6} as headings, scripts and styles
   * dropped.
   */
  HTML("text/html");

  private final String contentType;

  DocumentFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * The format of a file by its extension: {@code md}, {@code markdown}, {@code txt}, {@code html},
   * {@code htm} (case-insensitive).
   *
   * @throws UnsupportedDocumentException naming the file for any other extension
   */
  public static DocumentFormat forFileName(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    return switch (ext) {
      case "md", "markdown" -> MARKDOWN;
      case "txt" -> PLAIN;
      case "html", "htm" -> HTML;
      default -> throw new UnsupportedDocumentException(fileName);
    };
  }
}
