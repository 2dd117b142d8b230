package dev.ballast.retrieval;

import java.util.List;

/**
 * @param hits best first; ties are broken by chunk id, so every node answers in the same order
 * @param indexGeneration the generation this node's index had applied when it answered (at least
 *     the pinned one)
 */
public record SearchResult(List<SearchHit> hits, long indexGeneration) {
  public SearchResult {
    hits = List.copyOf(hits);
  }
}
