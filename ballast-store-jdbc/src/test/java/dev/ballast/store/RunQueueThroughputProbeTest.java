package dev.ballast.store;

import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.NewRun;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import dev.ballast.testkit.Postgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A throughput probe, not a test: how many runs of a 3-stage no-op pipeline (claim, three
 * checkpoints, complete: five durable writes) the queue moves per second, and how long a checkpoint
 * call takes. Skipped unless {@code -Dballast.probe=true}; it prints its numbers and asserts
 * nothing about them, because timing never decides whether a test passes. The figures in {@code
 * docs/queue.md} come from here.
 *
 * <p>{@code -Dballast.probe.workers=1,4,8,16,32} chooses the worker counts and {@code
 * -Dballast.probe.runs=5000} the runs per count.
 */
class RunQueueThroughputProbeTest {
  private static final int STAGES = 3;
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final byte[] OUTPUT = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dataDir;

  @Test
  void sqlite() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("ballast.probe"), "set -Dballast.probe=true");
    for (int workers : workerCounts()) {
      try (Store store =
          Stores.open("sqlite:" + dataDir.resolve("probe-" + workers + ".db"), dataDir)) {
        probe("sqlite", store.runQueue(), workers);
      }
    }
  }

  @Test
  void postgresql() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("ballast.probe"), "set -Dballast.probe=true");
    String url = Postgres.requireAvailable();
    for (int workers : workerCounts()) {
      String schema = "ballast_probe_" + workers;
      try (Store store = Stores.open(url + "&schema=" + schema, null)) {
        probe("postgresql", store.runQueue(), workers);
      } finally {
        Postgres.dropSchema(url, schema);
      }
    }
  }

  private static int[] workerCounts() {
    return Arrays.stream(System.getProperty("ballast.probe.workers", "1,4,8,16,32").split(","))
        .mapToInt(count -> Integer.parseInt(count.strip()))
        .toArray();
  }

  private static void probe(String backend, RunQueue queue, int workers) throws Exception {
    int runs = Integer.getInteger("ballast.probe.runs", 5_000);
    long enqueueStart = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      queue.enqueue(new NewRun("r" + i, "noop", "v1", "probe", 0, OUTPUT, null, T0), T0);
    }
    double enqueueSeconds = (System.nanoTime() - enqueueStart) / 1e9;
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    long start = System.nanoTime();
    List<Future<long[]>> futures = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      String worker = "w" + w;
      futures.add(pool.submit(() -> work(queue, worker, done, runs * STAGES)));
    }
    List<long[]> latencies = new ArrayList<>();
    for (Future<long[]> future : futures) {
      latencies.add(future.get());
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] checkpoints = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    System.out.printf(
        "PROBE %s workers=%d runs=%d enqueue=%.0f/s runs=%.0f/s stages=%.0f/s"
            + " writes=%.0f/s checkpoint p50=%.2fms p99=%.2fms%n",
        backend,
        workers,
        done.get(),
        runs / enqueueSeconds,
        done.get() / seconds,
        done.get() * STAGES / seconds,
        done.get() * (STAGES + 2) / seconds,
        percentile(checkpoints, 0.50),
        percentile(checkpoints, 0.99));
  }

  /** Works until nothing is claimable; returns the duration of each checkpoint call, in nanos. */
  private static long[] work(RunQueue queue, String worker, AtomicInteger done, int maxSamples) {
    Duration leaseFor = Duration.ofMinutes(5);
    long[] samples = new long[maxSamples];
    int count = 0;
    for (Optional<Lease> next = queue.claim(worker, T0, leaseFor, Set.of());
        next.isPresent();
        next = queue.claim(worker, T0, leaseFor, Set.of())) {
      Lease lease = next.get();
      for (int stage = 0; stage < STAGES; stage++) {
        long before = System.nanoTime();
        queue.checkpoint(lease.runId(), lease.fence(), stage, "s" + stage, OUTPUT, T0);
        samples[count++] = System.nanoTime() - before;
      }
      queue.complete(lease.runId(), lease.fence(), OUTPUT, T0);
      done.incrementAndGet();
    }
    return Arrays.copyOf(samples, count);
  }

  private static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
  }
}
