package dev.ballast.bench;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.Store;
import dev.ballast.retrieval.Chunker;
import dev.ballast.retrieval.ChunkerConfig;
import dev.ballast.retrieval.CollectionIndex;
import dev.ballast.retrieval.IngestListener;
import dev.ballast.retrieval.IngestReport;
import dev.ballast.retrieval.Ingestor;
import dev.ballast.retrieval.LocalEmbedder;
import dev.ballast.retrieval.SearchMode;
import dev.ballast.retrieval.SourceDocument;
import dev.ballast.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retrieval: ingestion throughput with the local model (all-MiniLM-L6-v2) on SQLite and PostgreSQL,
 * search latency through the real per-node index with the real model at that size and with
 * synthetic vectors (random unit vectors, no model) at a large size, and conversation memory
 * latency on both backends. Single-threaded; writes a Markdown report.
 */
public final class RetrievalBenchmark {
  private final List<String> lines = new ArrayList<>();

  private RetrievalBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = null;
    String commit = "unknown";
    int realDocs = 2000;
    int synthetic = 100_000;
    int queries = 1000;
    List<String> backends = List.of("sqlite", "postgresql");
    Path corpus = Path.of("bench/corpus");
    String pgUrl =
        System.getenv()
            .getOrDefault(
                "BALLAST_BENCH_POSTGRES_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--commit" -> commit = args[++i];
        case "--real-docs" -> realDocs = Integer.parseInt(args[++i]);
        case "--synthetic-chunks" -> synthetic = Integer.parseInt(args[++i]);
        case "--queries" -> queries = Integer.parseInt(args[++i]);
        case "--backends" -> backends = List.of(args[++i].split(","));
        case "--pg-url" -> pgUrl = args[++i];
        case "--corpus" -> corpus = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    BrownoutReport.Facts facts = BrownoutReport.Facts.ofThisMachine(commit);
    RetrievalBenchmark bench = new RetrievalBenchmark();
    bench.line("# Retrieval — " + facts.date());
    bench.line("");
    bench.line(
        String.format(
            Locale.ROOT,
            "Machine: %d CPUs (%s), %s, commit %s, load before %s. Single-threaded loops.",
            facts.cpus(),
            facts.cpuModel(),
            facts.jvm(),
            facts.commit(),
            facts.loadBefore()));
    LocalEmbedder embedder = new LocalEmbedder();
    BaselineEmbedder baseline = new BaselineEmbedder();
    for (String backend : backends) {
      bench.backend(backend, pgUrl, embedder, baseline, realDocs, queries);
    }
    if (synthetic > 0) {
      bench.synthetic(synthetic, queries);
    }
    if (Files.isDirectory(corpus)) {
      bench.lines.addAll(QualityBenchmark.run(corpus, embedder));
    }
    String report = String.join("\n", bench.lines) + "\n";
    System.out.println(report);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
    }
    System.exit(0);
  }

  private void backend(
      String backend,
      String pgUrl,
      LocalEmbedder embedder,
      BaselineEmbedder baseline,
      int docs,
      int queries)
      throws Exception {
    Path dir = Files.createTempDirectory("ballast-retrieval-bench");
    String schema = "bench_rt_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    String url = backend.equals("sqlite") ? "sqlite:" : pgUrl + "&schema=" + schema;
    try (Store store = Stores.open(url, dir)) {
      DocumentStore documents = store.documents();
      Ingestor ingestor = new Ingestor(documents, embedder, new Chunker(ChunkerConfig.DEFAULTS));
      Ingestor before = new Ingestor(documents, baseline, new Chunker(ChunkerConfig.DEFAULTS));
      List<SourceDocument> corpus = RetrievalWorkloads.textCorpus(docs, 1);
      ingestor.ingest(
          "warmup", corpus.subList(0, Math.min(50, docs)), List.of(), IngestListener.NONE);
      before.ingest(
          "warmup-baseline", corpus.subList(0, Math.min(50, docs)), List.of(), IngestListener.NONE);
      long t0 = System.nanoTime();
      IngestReport old = before.ingest("docs-baseline", corpus, List.of(), IngestListener.NONE);
      double s0 = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      IngestReport first = ingestor.ingest("docs", corpus, List.of(), IngestListener.NONE);
      double s1 = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      IngestReport again = ingestor.ingest("docs", corpus, List.of(), IngestListener.NONE);
      double s2 = (System.nanoTime() - t0) / 1e9;
      line("");
      line("## " + backend + ": ingestion with the local model, " + docs + " documents");
      line("");
      line("| run | chunks embedded | chunks reused | seconds | chunks/s |");
      line("|---|---:|---:|---:|---:|");
      row("first ingestion, baseline (langchain4j, one ONNX call per text)", old, s0);
      row("first ingestion (batched ONNX calls)", first, s1);
      line("");
      line(
          String.format(
              Locale.ROOT,
              "Batched over baseline, same run: **%.2f×** the chunks/s.",
              (first.embedded() / s1) / (old.embedded() / s0)));
      line("");
      line("| run | chunks embedded | chunks reused | seconds | chunks/s |");
      line("|---|---:|---:|---:|---:|");
      row("re-ingestion, unchanged", again, s2);
      CollectionIndex index = new CollectionIndex(documents, "docs");
      t0 = System.nanoTime();
      index.catchUpTo(again.result().generation());
      double build = (System.nanoTime() - t0) / 1e9;
      LatencyRecorder embed = new LatencyRecorder();
      LatencyRecorder search = new LatencyRecorder();
      SplittableRandom random = new SplittableRandom(3);
      for (int i = 0; i < queries; i++) {
        String q = RetrievalWorkloads.sentence(random, 6);
        long e0 = System.nanoTime();
        float[] v = embedder.embed(List.of(q)).getFirst();
        long e1 = System.nanoTime();
        index.search(again.result().generation(), q, v, 10, SearchMode.VECTOR);
        search.record(System.nanoTime() - e1);
        embed.record(e1 - e0);
      }
      index.close();
      line("");
      line(
          String.format(
              Locale.ROOT,
              "Index built from the store (catch-up 0 → %d): %.2f s for %d chunks.",
              again.result().generation(),
              build,
              first.result().added()));
      line("");
      line("| step (" + queries + " queries, k=10) | p50 ms | p99 ms |");
      line("|---|---:|---:|");
      latency("embed the query (local model)", embed);
      latency("vector search, real vectors", search);
      LatencyRecorder[] memory = RetrievalWorkloads.memory(store.memory(), 20, 20, 400);
      line("");
      line(
          "Conversation memory (20 conversations × 20 single-turn compare-and-set writes; 400 reads at random versions):");
      line("");
      line("| operation | p50 ms | p99 ms |");
      line("|---|---:|---:|");
      latency("memory write", memory[0]);
      latency("memory read (history folded)", memory[1]);
    } finally {
      if (!backend.equals("sqlite")) {
        try (Connection c = DriverManager.getConnection(pgUrl);
            Statement s = c.createStatement()) {
          s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
      }
    }
  }

  private void synthetic(int n, int queries) throws Exception {
    Path dir = Files.createTempDirectory("ballast-retrieval-bench-synthetic");
    int batch = Math.max(1, n / 20);
    try (Store store = Stores.open("sqlite:", dir)) {
      DocumentStore documents = store.documents();
      long t0 = System.nanoTime();
      RetrievalWorkloads.syntheticCollection(documents, "big", n, 384, batch, 11);
      double commit = (System.nanoTime() - t0) / 1e9;
      long last = documents.collection("big").orElseThrow().generation();
      try (CollectionIndex index = new CollectionIndex(documents, "big")) {
        t0 = System.nanoTime();
        index.catchUpTo(last);
        double build = (System.nanoTime() - t0) / 1e9;
        line("");
        line("## " + n + " chunks, synthetic vectors (SQLite store)");
        line("");
        line(
            String.format(
                Locale.ROOT,
                "Random unit vectors of 384 dimensions (Gaussian components, no model) and 30-word"
                    + " texts, committed in %d generations of %d: %.1f s. A fresh index caught"
                    + " up from the store (HNSW build, in memory): %.1f s. Queries are random unit"
                    + " vectors and 4-word texts through the real index (k=10).",
                last,
                batch,
                commit,
                build));
        line("");
        line("| search (" + queries + " queries) | p50 ms | p99 ms |");
        line("|---|---:|---:|");
        for (SearchMode mode : SearchMode.values()) {
          RetrievalWorkloads.searches(index, last, mode, Math.min(100, queries), 384, 1); // warm-up
          latency(
              mode.wireName() + ", pinned to the last generation",
              RetrievalWorkloads.searches(index, last, mode, queries, 384, 2));
        }
        long half = last / 2;
        latency(
            "vector, pinned to generation " + half + " (liveness filter, half the chunks live)",
            RetrievalWorkloads.searches(index, half, SearchMode.VECTOR, queries, 384, 3));
      }
    }
  }

  private void row(String name, IngestReport r, double seconds) {
    int chunks = r.embedded() + r.reused();
    line(
        String.format(
            Locale.ROOT,
            "| %s | %d | %d | %.2f | %.0f |",
            name,
            r.embedded(),
            r.reused(),
            seconds,
            chunks / seconds));
  }

  private void latency(String name, LatencyRecorder r) {
    line(String.format(Locale.ROOT, "| %s | %.2f | %.2f |", name, r.millis(50), r.millis(99)));
    System.err.println(name + ": p50 " + r.millis(50) + " ms, p99 " + r.millis(99) + " ms");
  }

  private void line(String s) {
    lines.add(s);
  }
}
