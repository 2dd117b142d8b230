package dev.ballast.bench;

import org.apache.lucene.util.VectorUtil;

/**
 * The exact {@code k} nearest chunks (by dot product of unit vectors) of each query, by scanning
 * every chunk's vector once, regenerated from its seed rather than held in memory.
 */
final class ExactNeighbours {
  private ExactNeighbours() {}

  /** Per query, the indexes of its {@code k} nearest of the first {@code n} chunks, best first. */
  static int[][] of(float[][] queries, int n, int k) {
    float[][] scores = new float[queries.length][k];
    int[][] ids = new int[queries.length][k];
    for (float[] s : scores) {
      java.util.Arrays.fill(s, Float.NEGATIVE_INFINITY);
    }
    SyntheticVectors chunks = new SyntheticVectors(SyntheticVectors.CHUNK_SEED);
    for (int i = 0; i < n; i++) {
      float[] v = chunks.next();
      for (int q = 0; q < queries.length; q++) {
        float s = VectorUtil.dotProduct(queries[q], v);
        float[] top = scores[q];
        if (s > top[k - 1]) {
          int at = k - 1;
          while (at > 0 && top[at - 1] < s) {
            top[at] = top[at - 1];
            ids[q][at] = ids[q][at - 1];
            at--;
          }
          top[at] = s;
          ids[q][at] = i;
        }
      }
    }
    return ids;
  }

  static float[][] queries(int count) {
    SyntheticVectors v = new SyntheticVectors(SyntheticVectors.QUERY_SEED);
    float[][] q = new float[count][];
    for (int i = 0; i < count; i++) {
      q[i] = v.next();
    }
    return q;
  }
}
