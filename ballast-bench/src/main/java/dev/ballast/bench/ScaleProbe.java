package dev.ballast.bench;

import dev.ballast.core.config.CollectionIndexConfig;
import dev.ballast.core.config.VectorEncoding;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.Store;
import dev.ballast.retrieval.CollectionIndex;
import dev.ballast.retrieval.IndexSettings;
import dev.ballast.retrieval.SearchHit;
import dev.ballast.retrieval.SearchMode;
import dev.ballast.store.Stores;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A node restarting: a fresh JVM that opens the store and the collection's index from the snapshot
 * on disk, catches up and answers a first search (the time from JVM start to that answer is "ready
 * for retrieval"); then the heap the open index holds, and vector-search latency and recall@10
 * against exact neighbours at several oversampling factors. Writes {@code key=value} lines.
 *
 * <p>Arguments: WORK_DIR COLLECTION ENCODING OVERSAMPLES(comma-separated, or "none") QUERIES
 * TRUTH_FILE OUT_FILE
 */
public final class ScaleProbe {
  private ScaleProbe() {}

  public static void main(String[] args) throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    Path work = Path.of(args[0]);
    String collection = args[1];
    VectorEncoding encoding = VectorEncoding.parse(args[2]);
    List<Integer> oversamples = new ArrayList<>();
    if (!args[3].equals("none")) {
      for (String o : args[3].split(",")) {
        oversamples.add(Integer.parseInt(o));
      }
    }
    int queries = Integer.parseInt(args[4]);
    Path truthFile = Path.of(args[5]);
    Map<String, String> out = new LinkedHashMap<>();
    long heapBase = usedHeapAfterGc();
    try (Store store = Stores.open("sqlite:", work.resolve("db"))) {
      DocumentStore docs = store.documents();
      long t0 = System.currentTimeMillis();
      CollectionIndex index = open(docs, collection, work.resolve("index"), encoding, 4);
      long t1 = System.currentTimeMillis();
      long last = docs.collection(collection).orElseThrow().generation();
      int before = (int) index.generation();
      index.catchUpTo(last);
      long t2 = System.currentTimeMillis();
      index.search(last, null, ExactNeighbours.queries(1)[0], 10, SearchMode.VECTOR);
      long ready = System.currentTimeMillis();
      out.put("jvm_start_to_ready_ms", Long.toString(ready - jvmStart));
      out.put("open_and_verify_ms", Long.toString(t1 - t0));
      out.put("catch_up_ms", Long.toString(t2 - t1));
      out.put("snapshot_generation", Integer.toString(before));
      out.put("store_generation", Long.toString(last));
      out.put("reused", Boolean.toString(index.openedFrom().reused()));
      out.put("discarded", String.join(" | ", index.openedFrom().discarded()));
      out.put("chunks", Integer.toString(index.size()));
      out.put("index_heap_mb", mb(usedHeapAfterGc() - heapBase));
      out.put("rss_mb", mb(rss()));
      if (!oversamples.isEmpty()) {
        List<int[]> truth = readTruth(truthFile);
        float[][] q = ExactNeighbours.queries(queries);
        for (int oversample : oversamples) {
          index.close();
          index = open(docs, collection, work.resolve("index"), encoding, oversample);
          measure(index, last, q, truth, oversample, out);
        }
        out.put("index_heap_after_searches_mb", mb(usedHeapAfterGc() - heapBase));
        out.put("rss_after_searches_mb", mb(rss()));
      }
      index.close();
    }
    List<String> lines = new ArrayList<>();
    out.forEach((k, v) -> lines.add(k + "=" + v));
    Files.write(Path.of(args[6]), lines);
    System.exit(0);
  }

  static CollectionIndex open(
      DocumentStore docs, String collection, Path root, VectorEncoding encoding, int oversample) {
    return new CollectionIndex(
        docs,
        collection,
        IndexSettings.onDisk(
            root, new CollectionIndexConfig(encoding, oversample, Duration.ofHours(24))));
  }

  static void measure(
      CollectionIndex index,
      long generation,
      float[][] queries,
      List<int[]> truth,
      int oversample,
      Map<String, String> out) {
    for (int i = 0; i < Math.min(100, queries.length); i++) {
      index.search(generation, null, queries[i], 10, SearchMode.VECTOR);
    }
    LatencyRecorder latency = new LatencyRecorder();
    long found = 0;
    for (int i = 0; i < queries.length; i++) {
      long t0 = System.nanoTime();
      List<SearchHit> hits =
          index.search(generation, null, queries[i], 10, SearchMode.VECTOR).hits();
      latency.record(System.nanoTime() - t0);
      Set<Integer> exact = new HashSet<>();
      for (int id : truth.get(i)) {
        exact.add(id);
      }
      for (SearchHit h : hits) {
        if (exact.contains(Integer.parseInt(h.documentId().substring(1)))) {
          found++;
        }
      }
    }
    String p = "oversample_" + oversample + "_";
    out.put(
        p + "recall_at_10", String.format(Locale.ROOT, "%.4f", found / (10.0 * queries.length)));
    out.put(p + "p50_ms", String.format(Locale.ROOT, "%.2f", latency.millis(50)));
    out.put(p + "p99_ms", String.format(Locale.ROOT, "%.2f", latency.millis(99)));
  }

  static List<int[]> readTruth(Path file) throws Exception {
    List<int[]> truth = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] parts = line.trim().split(" ");
      int[] ids = new int[parts.length];
      for (int i = 0; i < parts.length; i++) {
        ids[i] = Integer.parseInt(parts[i]);
      }
      truth.add(ids);
    }
    return truth;
  }

  static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static long rss() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.0f", bytes / 1e6);
  }
}
