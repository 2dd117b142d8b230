package dev.ballast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.retrieval.LocalEmbedder;
import dev.ballast.retrieval.SearchMode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guard against gross regressions in retrieval quality, not a benchmark: the planted-facts corpus
 * at 8 towns (96 one-fact documents, 96 paraphrased questions) through the real ingestor, local
 * model and index. The floors sit well below what was measured (see each test) so that only a
 * broken fusion, analyzer, embedding or index fails them, not a small change in ranking.
 */
class PlantedFactsQualityTest {
  @TempDir static Path dir;
  static LocalEmbedder embedder;
  static PlantedFactsQuality.Result result;

  @BeforeAll
  static void measure() throws Exception {
    embedder = new LocalEmbedder();
    result = PlantedFactsQuality.measure(dir, embedder, 8);
    System.out.println("planted facts, 8 towns: " + describe());
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  static String describe() {
    StringBuilder sb = new StringBuilder();
    result
        .byMode()
        .forEach((m, v) -> sb.append(m.wireName()).append(" mrr=").append(v[0]).append(' '));
    return sb.toString();
  }

  @Test
  void everyQuestionHasExactlyOneAnswerChunk() {
    assertThat(result.documents()).isEqualTo(96);
    assertThat(result.chunks()).isEqualTo(96);
    assertThat(result.questions()).isEqualTo(96);
  }

  // Measured on 2026-12-07 (commit fedb7e3): vector MRR@10 0.950, hybrid 0.662, keyword 0.217.

  @Test
  void vectorSearchFindsTheFactFromAParaphrasedQuestion() {
    assertThat(mrr(SearchMode.VECTOR)).isGreaterThan(0.75);
  }

  @Test
  void hybridSearchKeepsThePlantedFactNearTheTop() {
    assertThat(mrr(SearchMode.HYBRID)).isGreaterThan(0.45);
    assertThat(result.byMode().get(SearchMode.HYBRID)[1]).isGreaterThan(0.8);
  }

  @Test
  void keywordSearchFindsTheTownButNotTheParaphrasedRelation() {
    assertThat(mrr(SearchMode.KEYWORD)).isBetween(0.08, 0.6);
  }

  private static double mrr(SearchMode mode) {
    return result.byMode().get(mode)[0];
  }
}
