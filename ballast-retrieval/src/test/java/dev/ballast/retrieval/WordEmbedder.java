package dev.ballast.retrieval;

import dev.ballast.core.spi.TextEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic bag-of-words embedder for index tests: each lower-cased word adds 1 to the
 * dimension its hash picks, so texts sharing words are near. Counts the texts it embedded.
 */
final class WordEmbedder implements TextEmbedder {
  static final String MODEL = "test/words";
  static final int DIMENSION = 64;
  final AtomicInteger embedded = new AtomicInteger();

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> out = new ArrayList<>();
    for (String text : texts) {
      float[] v = new float[DIMENSION];
      for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
        if (word.length() > 2) {
          v[Math.floorMod(word.hashCode(), DIMENSION)] += 1;
        }
      }
      v[DIMENSION - 1] += 0.01f; // never the zero vector
      out.add(Vectors.normalised(v));
    }
    embedded.addAndGet(texts.size());
    return out;
  }
}
