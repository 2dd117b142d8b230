package dev.ballast.bench;

import dev.ballast.core.config.CollectionIndexConfig;
import dev.ballast.core.config.VectorEncoding;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.Store;
import dev.ballast.retrieval.CollectionIndex;
import dev.ballast.retrieval.IndexSettings;
import dev.ballast.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Retrieval at scale: a synthetic collection of N chunks ({@link SyntheticVectors}) in a SQLite
 * store; a new node building its index from the store (no snapshot); a restarted node opening its
 * snapshot in a fresh JVM ({@link ScaleProbe}) — time to ready, index heap, vector-search latency
 * and recall@10 against exact neighbours; a restart after one more generation (catch-up from the
 * snapshot); and the vector encodings compared on a smaller collection. Writes a Markdown report.
 */
public final class ScaleBenchmark {
  private final List<String> lines = new ArrayList<>();
  private final List<String> childJava;

  private ScaleBenchmark(List<String> childJava) {
    this.childJava = childJava;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i], args[i + 1]);
    }
    int chunks = Integer.parseInt(a.getOrDefault("--chunks", "1000000"));
    int generations = Integer.parseInt(a.getOrDefault("--generations", "20"));
    int queries = Integer.parseInt(a.getOrDefault("--queries", "500"));
    VectorEncoding encoding = VectorEncoding.parse(a.getOrDefault("--encoding", "int8"));
    String oversamples = a.getOrDefault("--oversamples", "1,2,4,8");
    int compare = Integer.parseInt(a.getOrDefault("--compare-chunks", "50000"));
    Path work =
        Path.of(a.getOrDefault("--work", Files.createTempDirectory("ballast-scale").toString()));
    Path out = Path.of(a.get("--out"));
    List<String> java = new ArrayList<>();
    java.add(ProcessHandle.current().info().command().orElse("java"));
    java.addAll(List.of(a.getOrDefault("--child-jvm", "-Xmx1g").split(" ")));
    java.addAll(
        List.of("--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"));
    java.addAll(List.of("-cp", System.getProperty("java.class.path")));
    ScaleBenchmark bench = new ScaleBenchmark(java);
    BrownoutReport.Facts facts = BrownoutReport.Facts.ofThisMachine(a.get("--commit"));
    bench.line("# Retrieval at scale — " + facts.date());
    bench.line("");
    bench.line(
        String.format(
            Locale.ROOT,
            "Machine: %d CPUs (%s), %s, commit %s, 1-minute load average before the run %s"
                + " (the machine is shared with other builds: every time below includes their"
                + " interference). Work directory %s.",
            facts.cpus(),
            facts.cpuModel(),
            facts.jvm(),
            facts.commit(),
            facts.loadBefore(),
            work));
    try {
      bench.run(work, chunks, generations, queries, encoding, oversamples, compare);
    } finally {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, String.join("\n", bench.lines) + "\n");
      System.out.println(String.join("\n", bench.lines));
    }
    System.exit(0);
  }

  private void run(
      Path work,
      int chunks,
      int generations,
      int queries,
      VectorEncoding encoding,
      String oversamples,
      int compare)
      throws Exception {
    String big = "big";
    try (Store store = Stores.open("sqlite:", work.resolve("db"))) {
      DocumentStore docs = store.documents();
      fill(docs, big, chunks, generations);
      long last = docs.collection(big).orElseThrow().generation();
      freshBuild(docs, big, work, encoding, chunks, last);
    }
    progress("exact neighbours of " + queries + " queries over " + chunks + " chunks");
    long t0 = System.nanoTime();
    Path truth = work.resolve("truth-" + chunks + "-" + queries + ".txt");
    writeTruth(truth, ExactNeighbours.of(ExactNeighbours.queries(queries), chunks, 10));
    double exactSeconds = seconds(t0);
    progress("restart probe");
    Map<String, String> restart = probe(work, big, encoding, oversamples, queries, truth);
    section("## A restarted node: snapshot on disk, fresh JVM");
    line(
        "A new JVM opens the store and the index snapshot the build above left ("
            + restart.get("snapshot_generation")
            + "), verifies it against the store (key, generation, chain checksum, chunk count, every"
            + " file's Lucene checksum), and answers a first vector search.");
    line("");
    table(
        List.of(
            row(
                "JVM start → first search answered (ready)",
                restart.get("jvm_start_to_ready_ms") + " ms"),
            row("open and verify the snapshot", restart.get("open_and_verify_ms") + " ms"),
            row("catch-up after opening", restart.get("catch_up_ms") + " ms"),
            row("snapshot reused", restart.get("reused")),
            row("chunks held", restart.get("chunks")),
            row(
                "heap held by the open index (after GC, over the JVM's own)",
                restart.get("index_heap_mb") + " MB"),
            row(
                "same, after all searches below",
                restart.get("index_heap_after_searches_mb") + " MB"),
            row(
                "process RSS after the searches (heap + mapped files in use)",
                restart.get("rss_after_searches_mb") + " MB")));
    section("## Vector search at " + chunks + " chunks, " + encoding.wireName() + " (k=10)");
    line(
        String.format(
            Locale.ROOT,
            "%d queries drawn from the same distribution; exact neighbours by scanning every vector"
                + " (%.0f s). Recall@10 = share of the exact 10 found. The graph is searched for"
                + " k × oversample candidates, rescored with the full-precision vectors.",
            queries,
            exactSeconds));
    line("");
    List<String[]> rows = new ArrayList<>();
    for (String o : oversamples.split(",")) {
      String p = "oversample_" + o + "_";
      rows.add(
          new String[] {
            o, restart.get(p + "recall_at_10"), restart.get(p + "p50_ms"), restart.get(p + "p99_ms")
          });
    }
    table4("| oversample | recall@10 | p50 ms | p99 ms |", rows);
    catchUp(work, big, encoding, chunks);
    compare(work, compare, queries);
  }

  private void fill(DocumentStore docs, String collection, int chunks, int generations) {
    var info = docs.collection(collection);
    if (info.isPresent() && info.get().generation() >= generations) {
      progress("store already filled");
      return;
    }
    progress("filling the store with " + chunks + " chunks");
    docs.ensureCollection(collection, SyntheticVectors.MODEL, SyntheticVectors.DIMENSION);
    SyntheticVectors v = new SyntheticVectors(SyntheticVectors.CHUNK_SEED);
    int per = chunks / generations;
    long t0 = System.nanoTime();
    for (int g = 0; g < generations; g++) {
      int from = g * per;
      int to = g == generations - 1 ? chunks : from + per;
      SyntheticVectors.commit(docs, collection, v, from, to);
    }
    section("## The store");
    line(
        String.format(
            Locale.ROOT,
            "%d chunks of %d dimensions (%s; rank %d, noise %.1f) committed to SQLite in %d"
                + " generations: %.0f s.",
            chunks,
            SyntheticVectors.DIMENSION,
            "synthetic, see SyntheticVectors",
            SyntheticVectors.RANK,
            SyntheticVectors.NOISE,
            generations,
            seconds(t0)));
  }

  private void freshBuild(
      DocumentStore docs,
      String collection,
      Path work,
      VectorEncoding encoding,
      int chunks,
      long last)
      throws Exception {
    progress("fresh build");
    Path root = work.resolve("index");
    deleteTree(root);
    long heap0 = ScaleProbe.usedHeapAfterGc();
    long t0 = System.nanoTime();
    Path dir;
    try (CollectionIndex index = open(docs, collection, root, encoding)) {
      index.catchUpTo(last);
      double build = seconds(t0);
      dir = index.path();
      long heap = ScaleProbe.usedHeapAfterGc() - heap0;
      section("## A new node: no snapshot");
      line(
          String.format(
              Locale.ROOT,
              "The index built from the store (catch-up 0 → %d: read every chunk, build the %s"
                  + " graph with %d indexing threads, merge, commit the snapshot): **%.0f s** for"
                  + " %d chunks (%.0f chunks/s). Heap held afterwards by the open index: %s MB.",
              last,
              encoding.wireName(),
              Math.min(4, Runtime.getRuntime().availableProcessors()),
              build,
              chunks,
              chunks / build,
              ScaleProbe.mb(heap)));
    }
    line("");
    line("Snapshot on disk (memory-mapped, read through the page cache, not the heap):");
    line("");
    table(sizes(dir));
  }

  private void catchUp(Path work, String collection, VectorEncoding encoding, int chunks)
      throws Exception {
    int extra = Math.max(1, chunks / 100);
    try (Store store = Stores.open("sqlite:", work.resolve("db"))) {
      DocumentStore docs = store.documents();
      SyntheticVectors v = new SyntheticVectors(12345);
      SyntheticVectors.commit(docs, collection, v, chunks, chunks + extra);
    }
    progress("restart after one more generation");
    Map<String, String> r = probe(work, collection, encoding, "none", 0, work.resolve("none"));
    section("## A restarted node, one generation behind its snapshot");
    line(
        "One more generation of "
            + extra
            + " chunks committed while the node was down; the restart opens the snapshot at "
            + r.get("snapshot_generation")
            + " and catches up only generation "
            + r.get("store_generation")
            + ".");
    line("");
    table(
        List.of(
            row(
                "JVM start → first search answered (ready)",
                r.get("jvm_start_to_ready_ms") + " ms"),
            row("open and verify the snapshot", r.get("open_and_verify_ms") + " ms"),
            row("catch-up of the new generation", r.get("catch_up_ms") + " ms")));
  }

  private void compare(Path work, int n, int queries) throws Exception {
    if (n <= 0) {
      return;
    }
    section("## Vector encodings compared at " + n + " chunks");
    line(
        "Same distribution, same queries; each encoding builds its own index from the store;"
            + " recall@10 against exact neighbours. *Hot set* = the graph plus the vectors the"
            + " graph search reads (the quantized ones; float32 for float32) — what must stay in"
            + " the page cache for searches not to touch the disk; the full-precision vectors are"
            + " read only for the k × oversample candidates.");
    line("");
    Path truth = work.resolve("truth-" + n + "-" + queries + ".txt");
    writeTruth(truth, ExactNeighbours.of(ExactNeighbours.queries(queries), n, 10));
    List<String[]> rows = new ArrayList<>();
    try (Store store = Stores.open("sqlite:", work.resolve("db-" + n))) {
      DocumentStore docs = store.documents();
      fillQuietly(docs, "cmp", n);
      long last = docs.collection("cmp").orElseThrow().generation();
      for (VectorEncoding e : VectorEncoding.values()) {
        progress("compare " + e.wireName());
        Path root = work.resolve("index-" + n);
        long t0 = System.nanoTime();
        Path dir;
        try (CollectionIndex index = open(docs, "cmp", root, e)) {
          index.catchUpTo(last);
          dir = index.path();
        }
        double build = seconds(t0);
        Map<String, Long> bytes = bytesByKind(dir);
        long hot =
            bytes.getOrDefault("graph", 0L)
                + bytes.getOrDefault(
                    e == VectorEncoding.FLOAT32 ? "float32 vectors" : "quantized vectors", 0L);
        for (int o : new int[] {1, 4}) {
          Map<String, String> r = new LinkedHashMap<>();
          try (CollectionIndex index = ScaleProbeSupport.open(docs, "cmp", root, e, o)) {
            ScaleProbeSupport.measure(index, last, queries, truth, o, r);
          }
          String p = "oversample_" + o + "_";
          rows.add(
              new String[] {
                e.wireName(),
                Integer.toString(o),
                r.get(p + "recall_at_10"),
                r.get(p + "p50_ms"),
                r.get(p + "p99_ms"),
                String.format(Locale.ROOT, "%.0f", build),
                ScaleProbe.mb(hot),
                String.format(Locale.ROOT, "%.0f", hot / 1e6 * 1_000_000 / n)
              });
        }
      }
    }
    line(
        "| vectors | oversample | recall@10 | p50 ms | p99 ms | build s | hot set MB | hot set MB"
            + " per million chunks |");
    line("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (String[] r : rows) {
      line("| " + String.join(" | ", r) + " |");
    }
  }

  private void fillQuietly(DocumentStore docs, String collection, int n) {
    if (docs.collection(collection).isPresent()) {
      return;
    }
    docs.ensureCollection(collection, SyntheticVectors.MODEL, SyntheticVectors.DIMENSION);
    SyntheticVectors v = new SyntheticVectors(SyntheticVectors.CHUNK_SEED);
    int per = Math.max(1, n / 5);
    for (int from = 0; from < n; from += per) {
      SyntheticVectors.commit(docs, collection, v, from, Math.min(n, from + per));
    }
  }

  private Map<String, String> probe(
      Path work, String collection, VectorEncoding e, String oversamples, int queries, Path truth)
      throws Exception {
    Path result = Files.createTempFile(work, "probe", ".txt");
    List<String> cmd = new ArrayList<>(childJava);
    cmd.addAll(
        List.of(
            ScaleProbe.class.getName(),
            work.toString(),
            collection,
            e.wireName(),
            oversamples,
            Integer.toString(queries),
            truth.toString(),
            result.toString()));
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("the probe exited with " + p.exitValue());
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String l : Files.readAllLines(result)) {
      int eq = l.indexOf('=');
      out.put(l.substring(0, eq), l.substring(eq + 1));
    }
    return out;
  }

  static CollectionIndex open(DocumentStore docs, String collection, Path root, VectorEncoding e) {
    return new CollectionIndex(
        docs,
        collection,
        IndexSettings.onDisk(root, new CollectionIndexConfig(e, 4, Duration.ofHours(24))));
  }

  private List<String[]> sizes(Path dir) throws IOException {
    List<String[]> rows = new ArrayList<>();
    long total = 0;
    for (var e : bytesByKind(dir).entrySet()) {
      rows.add(row(e.getKey(), ScaleProbe.mb(e.getValue()) + " MB"));
      total += e.getValue();
    }
    rows.add(row("total", ScaleProbe.mb(total) + " MB"));
    return rows;
  }

  /** Bytes of a snapshot by what Lucene's file extensions hold. */
  static Map<String, Long> bytesByKind(Path dir) throws IOException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : name;
        String kind =
            switch (ext) {
              case "vex", "vem" -> "graph";
              case "vec", "vemf" -> "float32 vectors";
              case "veq", "vemq", "veb", "vemb" -> "quantized vectors";
              case "fdt", "fdx", "fdm" -> "stored fields (text, ids)";
              default -> "postings, points, other";
            };
        out.merge(kind, Files.size(f), Long::sum);
      }
    }
    return out;
  }

  static void writeTruth(Path file, int[][] truth) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int[] ids : truth) {
      StringBuilder sb = new StringBuilder();
      for (int id : ids) {
        sb.append(sb.isEmpty() ? "" : " ").append(id);
      }
      lines.add(sb.toString());
    }
    Files.write(file, lines);
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String[] row(String a, String b) {
    return new String[] {a, b};
  }

  private void table(List<String[]> rows) {
    line("| | |");
    line("|---|---:|");
    for (String[] r : rows) {
      line("| " + r[0] + " | " + r[1] + " |");
    }
  }

  private void table4(String header, List<String[]> rows) {
    line(header);
    line("|---:|---:|---:|---:|");
    for (String[] r : rows) {
      line("| " + String.join(" | ", r) + " |");
    }
  }

  private void section(String title) {
    line("");
    line(title);
    line("");
  }

  private void line(String s) {
    lines.add(s);
  }

  private static void progress(String what) {
    System.err.println("scale: " + what + " (" + java.time.Instant.now() + ")");
  }
}
