package dev.ballast.bench;

import dev.ballast.core.spi.TextEmbedder;
import dev.ballast.retrieval.LocalEmbedder;
import dev.ballast.retrieval.Vectors;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The local model as Ballast embedded it before batching (commit 7b6f2d3 and earlier):
 * langchain4j's {@code embedAll} over batches of 32 texts, which runs one ONNX call per text on
 * langchain4j's thread pool. The baseline of the ingestion benchmark, measured in the same run.
 */
final class BaselineEmbedder implements TextEmbedder {
  private final AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();

  @Override
  public String model() {
    return LocalEmbedder.MODEL;
  }

  @Override
  public int dimension() {
    return LocalEmbedder.DIMENSION;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += 32) {
      List<TextSegment> batch = new ArrayList<>();
      for (String text : texts.subList(from, Math.min(texts.size(), from + 32))) {
        batch.add(TextSegment.from(text));
      }
      for (Embedding e : model.embedAll(batch).content()) {
        vectors.add(Vectors.normalised(e.vector()));
      }
    }
    return vectors;
  }
}
