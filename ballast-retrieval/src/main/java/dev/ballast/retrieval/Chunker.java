package dev.ballast.retrieval;

import dev.ballast.core.journal.Payload;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.NewChunk;
import dev.ballast.retrieval.internal.HtmlParser;
import dev.ballast.retrieval.internal.ParsedDocument;
import dev.ballast.retrieval.internal.Section;
import dev.ballast.retrieval.internal.Splitter;
import dev.ballast.retrieval.internal.TextParsers;
import dev.ballast.retrieval.internal.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts documents into chunks: Markdown by headings, plain text by paragraphs, HTML by its headings
 * and blocks (see {@link DocumentFormat}), each section packed into chunks of at most {@link
 * ChunkerConfig#chunkTokens()} cl100k tokens, cut at paragraph, then sentence, then word
 * boundaries. Every chunk keeps the heading path above it, and its content hash is the SHA-256 hex
 * of its text.
 *
 * <p>Deterministic: the same document and configuration always give the same chunks and hashes,
 * which is what lets re-ingestion reuse the vectors of unchanged chunks. Chunks are never blank.
 * Thread-safe.
 */
public final class Chunker {
  private final Splitter splitter;

  public Chunker(ChunkerConfig config) {
    this.splitter = new Splitter(Tokens.cl100k(), config.chunkTokens(), config.overlapTokens());
  }

  /** The document's complete chunk list, without vectors, ready for the ingestor to embed. */
  public DocumentChunks chunk(SourceDocument document) {
    ParsedDocument parsed =
        switch (document.format()) {
          case MARKDOWN -> TextParsers.markdown(document.text());
          case PLAIN -> TextParsers.plain(document.text());
          case HTML -> HtmlParser.parse(document.text());
        };
    List<NewChunk> chunks = new ArrayList<>();
    for (Section section : parsed.sections()) {
      for (String text : splitter.split(section.paragraphs())) {
        chunks.add(new NewChunk(chunks.size(), text, sha256(text), section.headings(), null));
      }
    }
    String title = parsed.title() == null ? document.name() : parsed.title();
    return new DocumentChunks(
        document.id(), title, document.format().contentType(), sha256(document.text()), chunks);
  }

  /** SHA-256 hex of the text's UTF-8 bytes. */
  public static String sha256(String text) {
    return Payload.sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
