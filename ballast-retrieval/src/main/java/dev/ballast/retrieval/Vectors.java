package dev.ballast.retrieval;

/** Vector helpers. */
public final class Vectors {
  private Vectors() {}

  /**
   * A copy of {@code v} scaled to length 1; a zero vector is returned as a copy unchanged.
   *
   * @throws IllegalArgumentException when a component is NaN or infinite
   */
  public static float[] normalised(float[] v) {
    double sum = 0;
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw new IllegalArgumentException("vector has a non-finite component: " + x);
      }
      sum += (double) x * x;
    }
    float[] out = v.clone();
    if (sum == 0) {
      return out;
    }
    double inv = 1.0 / Math.sqrt(sum);
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (out[i] * inv);
    }
    return out;
  }
}
