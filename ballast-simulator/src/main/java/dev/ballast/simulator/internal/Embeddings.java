package dev.ballast.simulator.internal;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Deterministic unit vectors derived from a hash of the text: equal texts, equal vectors. */
public final class Embeddings {
  public static final int DEFAULT_DIMENSIONS = 16;

  private Embeddings() {}

  public static float[] embed(String text, Integer dimensions) {
    int n = dimensions == null || dimensions <= 0 ? DEFAULT_DIMENSIONS : dimensions;
    SplittableRandom random = new SplittableRandom(hash(text));
    float[] v = new float[n];
    double norm = 0;
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
      norm += v[i] * v[i];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < n; i++) {
      v[i] *= scale;
    }
    return v;
  }

  /** FNV-1a over the UTF-8 bytes, stable across JVMs unlike {@link String#hashCode} seeds. */
  private static long hash(String text) {
    long h = 0xcbf29ce484222325L;
    for (byte b : (text == null ? "" : text).getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return h;
  }

  public static int tokens(String text) {
    return Math.max(1, ((text == null ? 0 : text.length()) + 3) / 4);
  }
}
