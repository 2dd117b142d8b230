package dev.ballast.retrieval;

import java.util.List;

/**
 * One retrieved chunk.
 *
 * @param score cosine similarity (vector), BM25 (keyword) or the fused reciprocal-rank score
 *     (hybrid); higher is better
 */
public record SearchHit(
    String chunkId,
    String documentId,
    String contentHash,
    double score,
    String text,
    String title,
    List<String> headings) {
  public SearchHit {
    headings = List.copyOf(headings);
  }
}
