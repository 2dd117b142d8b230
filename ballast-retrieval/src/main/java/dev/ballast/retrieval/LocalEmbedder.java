package dev.ballast.retrieval;

import ai.onnxruntime.OrtException;
import dev.ballast.core.BallastException;
import dev.ballast.core.spi.TextEmbedder;
import dev.ballast.retrieval.internal.BatchedEncoder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded embedding model: all-MiniLM-L6-v2 (ONNX, inside the langchain4j jar) run in-process
 * and offline, 384 dimensions, every vector normalised to length 1 so that a dot product is the
 * cosine similarity.
 *
 * <p>Texts are tokenised once, sorted by length and encoded many per ONNX call ({@link
 * BatchedEncoder}), with the runtime's threads on every core: one call over a batch of similar
 * lengths does the same arithmetic as one call per text with far less overhead and padding. The
 * vectors are those of the model's reference pooling (the mean over the real tokens), as
 * langchain4j computes them one text at a time. A text longer than the model's 512 positions is
 * embedded by langchain4j, which averages the vectors of 510-token windows.
 *
 * <p>Loading takes a second or two and ~90 MB of heap, so create one per JVM and share it; it is
 * thread-safe. The tokenizer is a native (Rust) library that DJL extracts from its jar into its
 * cache directory: {@code DJL_CACHE_DIR} (system property or environment) when set, else {@code
 * ~/.djl.ai}, or {@code java.io.tmpdir/.djl.ai} when the home directory is not writable (CI
 * containers). Because the library ships in the jar, this class sets the system property {@code
 * ai.djl.offline=true} (unless it is already set) so that DJL never tries the network for it.
 */
public final class LocalEmbedder implements TextEmbedder, AutoCloseable {
  /** The model name collections record for vectors of this embedder. */
  public static final String MODEL = "local/all-minilm-l6-v2";

  public static final int DIMENSION = 384;
  private static final String ONNX = "all-minilm-l6-v2.onnx";
  private static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

  private final BatchedEncoder encoder;
  private volatile AllMiniLmL6V2EmbeddingModel longTexts;

  /**
   * Loads the model.
   *
   * @throws BallastException when the model or its tokenizer's native library cannot be loaded
   */
  public LocalEmbedder() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    try (InputStream model = resource(ONNX);
        InputStream tokenizer = resource(TOKENIZER)) {
      this.encoder = new BatchedEncoder(model.readAllBytes(), tokenizer, 0, false);
    } catch (OrtException | IOException | RuntimeException | LinkageError e) {
      throw new BallastException(
          "the local embedding model "
              + MODEL
              + " could not be loaded (is DJL_CACHE_DIR or the home directory writable?): "
              + e,
          e);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = AllMiniLmL6V2EmbeddingModel.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException(name + " is not on the class path");
    }
    return in;
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
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null || texts.get(i).isBlank()) {
        throw new IllegalArgumentException(
            "text " + i + " is blank; the model embeds only non-blank text");
      }
    }
    List<float[]> pooled;
    try {
      pooled = encoder.encode(texts);
    } catch (OrtException e) {
      throw new BallastException("the local embedding model failed: " + e.getMessage(), e);
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      float[] v = pooled.get(i);
      vectors.add(Vectors.normalised(v != null ? v : embedLong(texts.get(i))));
    }
    return vectors;
  }

  private float[] embedLong(String text) {
    AllMiniLmL6V2EmbeddingModel m = longTexts;
    if (m == null) {
      synchronized (this) {
        if (longTexts == null) {
          longTexts = new AllMiniLmL6V2EmbeddingModel();
        }
        m = longTexts;
      }
    }
    Embedding e = m.embed(TextSegment.from(text)).content();
    return e.vector();
  }

  @Override
  public void close() {
    try {
      encoder.close();
    } catch (OrtException e) {
      throw new BallastException("closing the local embedding model: " + e.getMessage(), e);
    }
  }
}
