package dev.ballast.retrieval;

import dev.ballast.core.BallastException;
import dev.ballast.core.spi.TextEmbedder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded embedding model: all-MiniLM-L6-v2 (ONNX, inside the langchain4j jar) run in-process
 * and offline, 384 dimensions, every vector normalised to length 1 so that a dot product is the
 * cosine similarity.
 *
 * <p>Loading takes a second or two and ~90 MB of heap, so create one per JVM and share it; it is
 * thread-safe (the ONNX session serves concurrent calls). Texts are embedded in batches of {@link
 * #BATCH}; a text longer than the model's 256 word pieces is embedded by langchain4j in windows
 * whose vectors are averaged.
 *
 * <p>The tokenizer is a native (Rust) library that DJL extracts from its jar into its cache
 * directory: {@code DJL_CACHE_DIR} (system property or environment) when set, else {@code
 * ~/.djl.ai}, or {@code java.io.tmpdir/.djl.ai} when the home directory is not writable (CI
 * containers). Because the library ships in the jar, this class sets the system property {@code
 * ai.djl.offline=true} (unless it is already set) so that DJL never tries the network for it.
 */
public final class LocalEmbedder implements TextEmbedder {
  /** The model name collections record for vectors of this embedder. */
  public static final String MODEL = "local/all-minilm-l6-v2";

  public static final int DIMENSION = 384;
  static final int BATCH = 32;

  private final AllMiniLmL6V2EmbeddingModel model;

  /**
   * Loads the model.
   *
   * @throws BallastException when the model or its tokenizer's native library cannot be loaded
   */
  public LocalEmbedder() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    try {
      this.model = new AllMiniLmL6V2EmbeddingModel();
    } catch (RuntimeException | LinkageError e) {
      throw new BallastException(
          "the local embedding model "
              + MODEL
              + " could not be loaded (is DJL_CACHE_DIR or the home directory writable?): "
              + e,
          e);
    }
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  /**
   * @throws IllegalArgumentException naming the first null or blank text
   */
  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += BATCH) {
      List<TextSegment> batch = new ArrayList<>();
      for (String text : texts.subList(from, Math.min(texts.size(), from + BATCH))) {
        if (text == null || text.isBlank()) {
          throw new IllegalArgumentException(
              "text " + (from + batch.size()) + " is blank; the model embeds only non-blank text");
        }
        batch.add(TextSegment.from(text));
      }
      for (Embedding e : model.embedAll(batch).content()) {
        vectors.add(Vectors.normalised(e.vector()));
      }
    }
    return vectors;
  }
}
