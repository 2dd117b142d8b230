package dev.ballast.bench.console;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.model.Usage;
import dev.ballast.core.spi.JournalStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fills a store through its real append path with gateway runs spread evenly over a week: three
 * tenants, four model groups (one that fails over from a failing deployment, one that streams),
 * about 2% failed runs, plus one pipeline run whose execution tree has 501 nodes (100 stages, each
 * an attempt with a retrieval, a memory read and a context assembly).
 */
final class ConsoleSeeder {
  static final List<String> TENANTS = List.of("t0", "t1", "t2");
  static final String TREE_RUN = "prun_console_bench_tree";
  private static final int RUNS_PER_BATCH = 2000;

  private final JournalStore store;
  private final SplittableRandom random = new SplittableRandom(42);

  ConsoleSeeder(JournalStore store) {
    this.store = store;
  }

  /** Appends {@code runs} runs starting evenly between {@code end - span} and {@code end}. */
  void seed(int runs, Instant end, Duration span) {
    long stepNanos = span.toNanos() / runs;
    Instant start = end.minus(span);
    List<JournalEntry> batch = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Instant at = start.plusNanos(stepNanos * i);
      run(i, at, batch);
      if ((i + 1) % RUNS_PER_BATCH == 0) {
        store.append(batch, Map.of());
        batch.clear();
      }
      if ((i + 1) % 100_000 == 0) {
        System.err.printf("seeded %,d runs%n", i + 1);
      }
    }
    if (!batch.isEmpty()) {
      store.append(batch, Map.of());
    }
  }

  private void run(int i, Instant at, List<JournalEntry> into) {
    String id =
        "run_"
            + HexFormat.of().toHexDigits(at.toEpochMilli()).substring(4)
            + String.format("%010x", i);
    String tenant = TENANTS.get(i % TENANTS.size());
    String group =
        switch (i % 4) {
          case 0, 1 -> "default";
          case 2 -> "failover";
          default -> "stream";
        };
    boolean stream = group.equals("stream");
    into.add(
        new JournalEntry(
            id,
            0,
            at,
            new JournalEvent.RunStarted(
                "gateway",
                "chat",
                "openai",
                tenant,
                group,
                stream,
                new Pins("cfg", group, List.of(), null),
                null)));
    int seq = 1;
    double elapsed = 0;
    if (group.equals("failover")) {
      elapsed += 12;
      into.add(
          attempt(
              id,
              seq++,
              at.plusMillis(12),
              1,
              "down",
              "server_error",
              12,
              null,
              null,
              0,
              "failover"));
    }
    boolean fails = random.nextInt(50) == 0;
    double latency = 80 + random.nextDouble() * 400 + (random.nextInt(100) == 0 ? 3000 : 0);
    Double ttft = stream ? 20 + random.nextDouble() * 80 : null;
    elapsed += latency;
    Instant end = at.plusNanos((long) (elapsed * 1_000_000));
    String deployment =
        group.equals("failover") ? "sim" : group.equals("stream") ? "streamer" : "sim";
    if (fails) {
      into.add(
          attempt(id, seq++, end, 1, deployment, "timeout", latency, null, null, 0, "gave_up"));
      into.add(
          new JournalEntry(
              id,
              seq,
              end,
              new JournalEvent.RunFailed("timeout", 504, "deadline exceeded", false, elapsed)));
      return;
    }
    Usage usage = new Usage(50 + random.nextInt(200), 20 + random.nextInt(300), 0, 0, false);
    double cost = (usage.inputTokens() * 1.0 + usage.outputTokens() * 2.0) / 1_000_000;
    into.add(attempt(id, seq++, end, 1, deployment, "ok", latency, ttft, usage, cost, "answered"));
    into.add(
        new JournalEntry(
            id,
            seq,
            end,
            new JournalEvent.RunCompleted(deployment, "sim", "stop", usage, cost, elapsed, null)));
  }

  private static JournalEntry attempt(
      String id,
      int seq,
      Instant at,
      int attempt,
      String deployment,
      String outcome,
      double latency,
      Double ttft,
      Usage usage,
      double cost,
      String decision) {
    boolean ok = outcome.equals("ok");
    return new JournalEntry(
        id,
        seq,
        at,
        new JournalEvent.ProviderAttempt(
            attempt,
            deployment,
            "sim",
            "sim",
            outcome,
            ok ? 200 : 503,
            ok ? null : "upstream failed",
            latency,
            ttft,
            usage,
            cost,
            ok ? "sim" : null,
            null,
            "closed",
            decision,
            List.of(),
            null,
            null));
  }

  /** One pipeline run of 100 stages whose tree has 501 nodes; returns its id. */
  String tree(Instant at) {
    List<JournalEntry> entries = new ArrayList<>();
    int seq = 0;
    entries.add(
        new JournalEntry(
            TREE_RUN,
            seq++,
            at,
            new JournalEvent.RunStarted(
                "pipeline",
                "wide",
                "ballast",
                "t0",
                null,
                false,
                Pins.pipeline("cfg", "v1"),
                null)));
    Instant t = at;
    for (int s = 0; s < 100; s++) {
      String stage = "stage_" + s;
      entries.add(
          new JournalEntry(
              TREE_RUN, seq++, t, new JournalEvent.StageStarted(stage, s, 1, "bench", 1, 0)));
      t = t.plusMillis(1);
      entries.add(
          new JournalEntry(
              TREE_RUN,
              seq++,
              t,
              new JournalEvent.Retrieval(
                  stage,
                  "docs",
                  "hybrid",
                  null,
                  3,
                  3,
                  4,
                  List.of(new JournalEvent.RetrievedChunk("c" + s, "doc" + s, "h" + s, 0.9)),
                  1.0)));
      entries.add(
          new JournalEntry(
              TREE_RUN, seq++, t, new JournalEvent.MemoryRead(stage, "conv", 7, "hash")));
      entries.add(
          new JournalEntry(
              TREE_RUN,
              seq++,
              t,
              new JournalEvent.ContextAssembled(
                  stage, "default", "o200k_base", false, 8000, 1200, List.of(), List.of(), null)));
      t = t.plusMillis(2);
      entries.add(
          new JournalEntry(
              TREE_RUN, seq++, t, new JournalEvent.StageCompleted(stage, s, 1, 3.0, null)));
    }
    entries.add(
        new JournalEntry(
            TREE_RUN,
            seq,
            t,
            new JournalEvent.RunCompleted(
                null, null, null, null, 0, Duration.between(at, t).toMillis(), null)));
    store.append(entries, Map.of());
    return TREE_RUN;
  }
}
