package dev.ballast.bench;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.MemoryStore;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.MemoryMutation;
import dev.ballast.core.state.MemoryView;
import dev.ballast.core.state.NewChunk;
import dev.ballast.retrieval.Chunker;
import dev.ballast.retrieval.CollectionIndex;
import dev.ballast.retrieval.DocumentFormat;
import dev.ballast.retrieval.SearchMode;
import dev.ballast.retrieval.SourceDocument;
import dev.ballast.retrieval.Vectors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The corpora and timed loops of {@link RetrievalBenchmark}. */
final class RetrievalWorkloads {
  static final String[] WORDS =
      ("boiler pressure valve pump filter heater thermostat pipe radiator leak service warranty"
              + " invoice refund shipping parcel account password login invoice tax report backup"
              + " restore alert server database index query cache latency budget region contract"
              + " engineer customer support ticket upgrade plan storage network firewall")
          .split(" ");

  private RetrievalWorkloads() {}

  /** {@code n} short plain-text documents of pseudo-random sentences over a fixed vocabulary. */
  static List<SourceDocument> textCorpus(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<SourceDocument> docs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      docs.add(
          new SourceDocument(
              "doc-" + i + ".txt", null, DocumentFormat.PLAIN, sentence(random, 40)));
    }
    return docs;
  }

  static String sentence(SplittableRandom random, int words) {
    StringBuilder sb = new StringBuilder();
    for (int w = 0; w < words; w++) {
      sb.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return sb.append('.').toString();
  }

  /**
   * {@code n} single-chunk documents with synthetic vectors: random Gaussian unit vectors (no
   * model), committed in batches of {@code batch} documents (one generation each).
   */
  static void syntheticCollection(
      DocumentStore store, String collection, int n, int dimension, int batch, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    store.ensureCollection(collection, "bench/synthetic", dimension);
    for (int from = 0; from < n; from += batch) {
      List<DocumentChunks> docs = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + batch); i++) {
        String text = "chunk " + i + " " + sentence(random, 30);
        docs.add(
            new DocumentChunks(
                "d" + i,
                "Doc " + i,
                "text/plain",
                Chunker.sha256(text),
                List.of(
                    new NewChunk(
                        0,
                        text,
                        Chunker.sha256(text),
                        List.of("Doc " + i),
                        randomUnit(random, dimension)))));
      }
      store.commit(collection, "bench/synthetic", docs, List.of());
    }
  }

  static float[] randomUnit(SplittableRandom random, int dimension) {
    float[] v = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      // Box-Muller: Gaussian components make the direction uniform on the sphere.
      v[d] =
          (float)
              (Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                  * Math.cos(2 * Math.PI * random.nextDouble()));
    }
    return Vectors.normalised(v);
  }

  /** Latencies of {@code queries} searches, in a recorder. */
  static LatencyRecorder searches(
      CollectionIndex index,
      long generation,
      SearchMode mode,
      int queries,
      int dimension,
      long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    LatencyRecorder latencies = new LatencyRecorder();
    for (int i = 0; i < queries; i++) {
      float[] q = randomUnit(random, dimension);
      String text = sentence(random, 4);
      long t0 = System.nanoTime();
      int hits = index.search(generation, text, q, 10, mode).hits().size();
      latencies.record(System.nanoTime() - t0);
      if (hits == 0 && mode != SearchMode.KEYWORD) {
        throw new IllegalStateException("a " + mode + " search found nothing");
      }
    }
    return latencies;
  }

  /** Compare-and-set single-turn appends, then reads of memory at random versions. */
  static LatencyRecorder[] memory(MemoryStore memory, int conversations, int turns, int reads) {
    LatencyRecorder write = new LatencyRecorder();
    LatencyRecorder read = new LatencyRecorder();
    for (int t = 0; t < turns; t++) {
      for (int c = 0; c < conversations; c++) {
        long t0 = System.nanoTime();
        memory.write(
            "bench/r" + c,
            t,
            List.of(new MemoryMutation.AppendTurn(t % 2 == 0 ? "user" : "assistant", "turn " + t)),
            "run-" + c + "-" + t + "/memory",
            Instant.now());
        write.record(System.nanoTime() - t0);
      }
    }
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < reads; i++) {
      String conversation = "bench/r" + random.nextInt(conversations);
      long version = 1 + random.nextInt(turns);
      long t0 = System.nanoTime();
      MemoryView view = MemoryView.of(conversation, memory.history(conversation, version));
      read.record(System.nanoTime() - t0);
      if (view.version() != version) {
        throw new IllegalStateException("read version " + view.version() + ", expected " + version);
      }
    }
    return new LatencyRecorder[] {write, read};
  }
}
