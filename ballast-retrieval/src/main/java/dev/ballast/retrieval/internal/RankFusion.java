package dev.ballast.retrieval.internal;

import dev.ballast.retrieval.SearchHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal-rank fusion (Cormack, Clarke and Büttcher, 2009): a chunk scores the sum of {@code 1 /
 * (K + rank)} over the rankings it appears in, with {@code K = 60} as in the paper, which damps the
 * weight of the very top ranks so that one ranking cannot dominate.
 */
public final class RankFusion {
  static final int K = 60;

  private RankFusion() {}

  /** The {@code k} best of the fused rankings (each best first), ties broken by chunk id. */
  public static List<SearchHit> fuse(List<SearchHit> first, List<SearchHit> second, int k) {
    Map<String, SearchHit> byId = new LinkedHashMap<>();
    Map<String, Double> scores = new LinkedHashMap<>();
    for (List<SearchHit> ranking : List.of(first, second)) {
      for (int i = 0; i < ranking.size(); i++) {
        SearchHit hit = ranking.get(i);
        byId.putIfAbsent(hit.chunkId(), hit);
        scores.merge(hit.chunkId(), 1.0 / (K + i + 1), Double::sum);
      }
    }
    List<SearchHit> fused = new ArrayList<>();
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      SearchHit h = byId.get(e.getKey());
      fused.add(
          new SearchHit(
              h.chunkId(),
              h.documentId(),
              h.contentHash(),
              e.getValue(),
              h.text(),
              h.title(),
              h.headings()));
    }
    fused.sort(
        Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::chunkId));
    return fused.size() > k ? List.copyOf(fused.subList(0, k)) : fused;
  }
}
