package dev.ballast.retrieval;

/**
 * How documents are cut into chunks. Sizes are in cl100k_base tokens (counted with jtokkit), the
 * tokenizer of the embedding models' OpenAI cousins; all-MiniLM's own WordPiece count differs a
 * little, and its 256-word-piece input limit is why the default chunk is 256.
 *
 * @param chunkTokens the largest chunk, in tokens, overlap included (default 256)
 * @param overlapTokens how many tokens of a chunk's end (whole words) begin the next chunk of the
 *     same section (default 32); 0 for none. A chunk whose next piece does not fit beside the
 *     overlap starts without it, so a large overlap never stops the chunker from progressing.
 */
public record ChunkerConfig(int chunkTokens, int overlapTokens) {
  public static final ChunkerConfig DEFAULTS = new ChunkerConfig(256, 32);

  public ChunkerConfig {
    if (chunkTokens < 1) {
      throw new IllegalArgumentException("chunkTokens must be positive, but was " + chunkTokens);
    }
    // The same bounds as the configuration's collections section (CollectionConfig).
    if (overlapTokens < 0 || overlapTokens >= chunkTokens) {
      throw new IllegalArgumentException(
          "overlapTokens must be between 0 and chunkTokens - 1 ("
              + (chunkTokens - 1)
              + "), but was "
              + overlapTokens);
    }
  }
}
