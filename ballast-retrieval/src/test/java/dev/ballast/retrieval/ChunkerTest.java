package dev.ballast.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.NewChunk;
import dev.ballast.retrieval.internal.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkerTest {
  private final Chunker chunker = new Chunker(ChunkerConfig.DEFAULTS);

  static final String MARKDOWN =
      """
      Intro before any heading.

      # Operations Guide

      Welcome.

      ## Backups
      Backups run nightly.

      ```
      # not a heading
      restore --all
      ```

      ### Restore
      Restores take an hour.

      ## Alerts
      Alerts page the on-call engineer.
      """;

  @Test
  void markdownSplitsByHeadingsKeepsTheHeadingPathAndTakesTheFirstH1AsTitle() {
    DocumentChunks doc = chunk("guide.md", DocumentFormat.MARKDOWN, MARKDOWN);
    assertThat(doc.title()).isEqualTo("Operations Guide");
    assertThat(doc.contentType()).isEqualTo("text/markdown");
    assertThat(doc.chunks())
        .extracting(NewChunk::headings)
        .containsExactly(
            List.of(),
            List.of("Operations Guide"),
            List.of("Operations Guide", "Backups"),
            List.of("Operations Guide", "Backups", "Restore"),
            List.of("Operations Guide", "Alerts"));
    assertThat(doc.chunks().get(2).text()).contains("# not a heading").contains("restore --all");
    assertThat(doc.chunks()).extracting(NewChunk::ordinal).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void markdownWithoutAnH1IsTitledByItsFileName() {
    assertThat(chunk("notes.md", DocumentFormat.MARKDOWN, "## Only\ntext").title())
        .isEqualTo("notes.md");
  }

  @Test
  void plainTextParagraphsThatDoNotFitTogetherBecomeSeparateChunksWithoutHeadings() {
    DocumentChunks doc =
        new Chunker(new ChunkerConfig(12, 0))
            .chunk(
                new SourceDocument(
                    "a.txt",
                    "a.txt",
                    DocumentFormat.PLAIN,
                    "First paragraph about cats and their habits.\r\n\r\nSecond paragraph about"
                        + " dogs and their habits.\n\n\n"));
    assertThat(doc.title()).isEqualTo("a.txt");
    assertThat(doc.chunks())
        .extracting(NewChunk::text)
        .containsExactly(
            "First paragraph about cats and their habits.",
            "Second paragraph about dogs and their habits.");
    assertThat(doc.chunks()).allSatisfy(c -> assertThat(c.headings()).isEmpty());
  }

  @Test
  void paragraphsThatFitTogetherShareAChunkSeparatedByABlankLine() {
    DocumentChunks doc = chunk("a.txt", DocumentFormat.PLAIN, "One.\n\nTwo.");
    assertThat(doc.chunks()).extracting(NewChunk::text).containsExactly("One.\n\nTwo.");
  }

  @Test
  void htmlUsesTheTitleElementHeadingsAndTextAndDropsScriptsAndStyles() {
    String html =
        """
        <html><head><title>Status Page</title><style>body{color:red}</style></head>
        <body><script>var secret = 1;</script>
        <h1>Status</h1><p>All systems <b>operational</b>.</p>
        <h2>Incidents</h2><ul><li>None today.</li><li>None yesterday.</li></ul>
        <noscript>enable js</noscript></body></html>
        """;
    DocumentChunks doc = chunk("status.html", DocumentFormat.HTML, html);
    assertThat(doc.title()).isEqualTo("Status Page");
    assertThat(doc.contentType()).isEqualTo("text/html");
    assertThat(doc.chunks())
        .extracting(NewChunk::headings)
        .containsExactly(List.of("Status"), List.of("Status", "Incidents"));
    assertThat(doc.chunks().get(0).text()).isEqualTo("All systems operational.");
    assertThat(doc.chunks().get(1).text()).isEqualTo("None today.\n\nNone yesterday.");
    assertThat(doc.chunks())
        .extracting(NewChunk::text)
        .noneMatch(t -> t.contains("secret") || t.contains("color") || t.contains("enable js"));
  }

  @Test
  void theSameInputAlwaysGivesTheSameChunksAndHashesAndEachHashIsTheSha256OfItsText() {
    for (DocumentFormat format : DocumentFormat.values()) {
      String text = format == DocumentFormat.HTML ? "<h1>T</h1><p>" + long_() + "</p>" : long_();
      DocumentChunks a = chunk("x", format, text);
      DocumentChunks b = new Chunker(ChunkerConfig.DEFAULTS).chunk(source("x", format, text));
      assertThat(a.chunks())
          .extracting(NewChunk::contentHash)
          .isEqualTo(b.chunks().stream().map(NewChunk::contentHash).toList());
      assertThat(a.sourceHash()).isEqualTo(Chunker.sha256(text));
      assertThat(a.chunks())
          .allSatisfy(c -> assertThat(c.contentHash()).isEqualTo(Chunker.sha256(c.text())));
    }
  }

  @Test
  void longSectionsAreCutAtSentenceEndsWithinTheSizeAndOverlapTheNextChunk() {
    ChunkerConfig config = new ChunkerConfig(64, 12);
    DocumentChunks doc = new Chunker(config).chunk(source("x.txt", DocumentFormat.PLAIN, long_()));
    assertThat(doc.chunks()).hasSizeGreaterThan(3);
    for (int i = 0; i < doc.chunks().size(); i++) {
      String text = doc.chunks().get(i).text();
      assertThat(Tokens.count(Tokens.cl100k(), text)).isLessThanOrEqualTo(64);
      assertThat(text).isNotBlank();
      if (i > 0) {
        String previous = doc.chunks().get(i - 1).text();
        String firstWord = text.split(" ")[0];
        assertThat(previous).contains(firstWord);
      }
    }
    assertThat(doc.chunks().getFirst().text()).endsWith(".");
  }

  @Test
  void aWordLongerThanAChunkIsCutIntoPiecesThatFit() {
    String word = "x".repeat(5000);
    DocumentChunks doc =
        new Chunker(new ChunkerConfig(32, 0)).chunk(source("x.txt", DocumentFormat.PLAIN, word));
    assertThat(String.join("", doc.chunks().stream().map(NewChunk::text).toList())).isEqualTo(word);
    assertThat(doc.chunks())
        .allSatisfy(
            c -> assertThat(Tokens.count(Tokens.cl100k(), c.text())).isLessThanOrEqualTo(32));
  }

  @Test
  void emptyAndHeadingOnlyDocumentsGiveNoChunks() {
    assertThat(chunk("e.md", DocumentFormat.MARKDOWN, "# Title\n\n## Empty\n   \n").chunks())
        .isEmpty();
    assertThat(chunk("e.txt", DocumentFormat.PLAIN, "\n\n \n").chunks()).isEmpty();
    assertThat(chunk("e.html", DocumentFormat.HTML, "<script>x()</script>").chunks()).isEmpty();
  }

  @Test
  void badConfigurationIsRefusedWithTheValue() {
    assertThatThrownBy(() -> new ChunkerConfig(0, 0)).hasMessageContaining("but was 0");
    assertThatThrownBy(() -> new ChunkerConfig(64, 64))
        .hasMessageContaining(
            "overlapTokens must be between 0 and chunkTokens - 1 (63), but was 64");
  }

  @Test
  void anUnsupportedFileIsRefusedByName(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.md"), "# A\ntext");
    Files.write(dir.resolve("logo.png"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> DocumentReader.read(List.of(dir)))
        .isInstanceOf(UnsupportedDocumentException.class)
        .hasMessageContaining("logo.png");
  }

  @Test
  void directoriesAreReadRecursivelyInPathOrderWithRelativeIdsSkippingHiddenFiles(@TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    Files.createDirectories(dir.resolve(".git"));
    Files.writeString(dir.resolve("b.txt"), "b");
    Files.writeString(dir.resolve("sub/a.HTML"), "<p>a</p>");
    Files.writeString(dir.resolve(".git/config"), "x");
    List<SourceDocument> docs = DocumentReader.read(List.of(dir));
    assertThat(docs).extracting(SourceDocument::id).containsExactly("b.txt", "sub/a.HTML");
    assertThat(docs)
        .extracting(SourceDocument::format)
        .containsExactly(DocumentFormat.PLAIN, DocumentFormat.HTML);
  }

  private DocumentChunks chunk(String name, DocumentFormat format, String text) {
    return chunker.chunk(source(name, format, text));
  }

  private static SourceDocument source(String name, DocumentFormat format, String text) {
    return new SourceDocument(name, name, format, text);
  }

  private static String long_() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      sb.append("Sentence number ")
          .append(i)
          .append(" talks about topic ")
          .append(i % 7)
          .append(". ");
    }
    return sb.toString().strip();
  }
}
