package dev.ballast.bench;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.NewChunk;
import dev.ballast.retrieval.Chunker;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Embedding-like synthetic vectors, deterministic from a seed: {@code v = normalise(A·z + σ·g)}
 * with {@code A} a fixed 384×{@code rank} Gaussian matrix, {@code z} standard Gaussian in {@code
 * rank} dimensions and {@code g} standard Gaussian noise in all 384 (σ = 0.5). Sentence embeddings
 * concentrate near a low-dimensional subspace; independent uniform unit vectors (the worst case for
 * a nearest-neighbour graph, and unlike any embedding model's output) would understate recall.
 * Chunk {@code i} of a collection is the {@code i}-th vector drawn from seed {@link #CHUNK_SEED};
 * queries are drawn from the same distribution with another seed.
 */
final class SyntheticVectors {
  static final long CHUNK_SEED = 11;
  static final long QUERY_SEED = 99;
  static final int DIMENSION = 384;
  static final int RANK = 48;
  static final double NOISE = 0.5;
  static final String MODEL = "bench/synthetic-lowrank48";

  private final float[][] basis;
  private final SplittableRandom random;

  SyntheticVectors(long seed) {
    SplittableRandom b = new SplittableRandom(7);
    basis = new float[DIMENSION][RANK];
    for (float[] row : basis) {
      for (int k = 0; k < RANK; k++) {
        row[k] = (float) gaussian(b);
      }
    }
    random = new SplittableRandom(seed);
  }

  float[] next() {
    double[] z = new double[RANK];
    for (int k = 0; k < RANK; k++) {
      z[k] = gaussian(random);
    }
    float[] v = new float[DIMENSION];
    double norm = 0;
    for (int i = 0; i < DIMENSION; i++) {
      double x = 0;
      float[] row = basis[i];
      for (int k = 0; k < RANK; k++) {
        x += row[k] * z[k];
      }
      x += NOISE * gaussian(random);
      v[i] = (float) x;
      norm += x * x;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < DIMENSION; i++) {
      v[i] *= inv;
    }
    return v;
  }

  static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  /**
   * Commits chunks {@code [from, to)} as one generation: single-chunk documents {@code d<i>} with a
   * short text, so that chunk {@code i}'s document id names its vector.
   */
  static void commit(
      DocumentStore store, String collection, SyntheticVectors vectors, int from, int to) {
    List<DocumentChunks> docs = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      String text = "chunk " + i + " of the synthetic corpus";
      String hash = Chunker.sha256(text);
      docs.add(
          new DocumentChunks(
              "d" + i,
              "Doc " + i,
              "text/plain",
              hash,
              List.of(new NewChunk(0, text, hash, List.of(), vectors.next()))));
    }
    store.commit(collection, MODEL, docs, List.of());
  }
}
