package dev.ballast.bench;

import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.Timeouts;
import dev.ballast.providers.ProviderApi;
import dev.ballast.providers.ProviderSettings;
import dev.ballast.providers.Providers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plain-http client decision, measured: the hand-written HTTP/1.1 client and Helidon's
 * WebClient carry the same OpenAI-compatible provider adapter against the same local upstream, in
 * one JVM, in interleaved rounds (the order of the two clients alternates every round), so that
 * other load on the machine hits both alike. Per round and client: c1 (one caller, back to back)
 * and c32 (32 virtual threads) for a few seconds each, non-streamed and SSE-streamed. Every answer
 * is checked; an answer with the wrong text counts as an error. Writes a Markdown report.
 *
 * <p>The adapter is the unit measured, not the bare transport: it is what the gateway calls for
 * every attempt (request encoding, deadlines, response decoding included), and the two clients
 * differ only in the transport underneath (selected by {@code ballast.plain-http-client} when each
 * provider is created).
 */
public final class HttpClientBenchmark {
  private static final String PROPERTY = "ballast.plain-http-client";
  private static final String PLAIN_TEXT = "Hello! How can I help you today?";
  private static final String STREAM_TEXT = "Hello! How can I help you?";
  private static final CallOptions OPTIONS = new CallOptions("gpt-4o-mini", Timeouts.DEFAULT);
  private static final ChatRequest REQUEST =
      ChatRequest.of("bench", List.of(Message.text(Role.USER, "Say hello.")));

  enum Client {
    HTTP1("http1", "hand-written HTTP/1.1"),
    WEBCLIENT("webclient", "Helidon WebClient 4.5.0");

    final String property;
    final String label;

    Client(String property, String label) {
      this.property = property;
      this.label = label;
    }
  }

  enum Workload {
    C1_PLAIN(1, false, "c1, non-streamed"),
    C1_SSE(1, true, "c1, SSE-streamed"),
    C32_PLAIN(32, false, "c32, non-streamed"),
    C32_SSE(32, true, "c32, SSE-streamed");

    final int concurrency;
    final boolean stream;
    final String label;

    Workload(int concurrency, boolean stream, String label) {
      this.concurrency = concurrency;
      this.stream = stream;
      this.label = label;
    }
  }

  /** One client's two adapters: non-streamed and streamed paths of the upstream. */
  private record Adapters(Provider plain, Provider stream) {
    Provider of(Workload workload) {
      return workload.stream ? stream : plain;
    }
  }

  /** What one client did in one workload over all rounds. */
  static final class Cell {
    final List<Double> callsPerSecond = new ArrayList<>();
    final Latencies latencies = new Latencies();
    long errors;
    String firstError;

    double medianRate() {
      double[] sorted = callsPerSecond.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int n = sorted.length;
      return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
  }

  private HttpClientBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    URI upstream = URI.create(required(options, "upstream"));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
    double seconds = Double.parseDouble(options.getOrDefault("seconds", "3"));
    double warmup = Double.parseDouble(options.getOrDefault("warmup", "2"));
    Path out = Path.of(required(options, "out"));

    Map<Client, Adapters> adapters = new EnumMap<>(Client.class);
    for (Client client : Client.values()) {
      adapters.put(client, adapters(client, upstream));
    }
    String loadBefore = loadAverage();
    long started = System.nanoTime();
    for (Workload workload : Workload.values()) {
      for (Client client : Client.values()) {
        run(adapters.get(client).of(workload), workload, warmup, new Cell());
      }
    }
    Map<Workload, Map<Client, Cell>> cells = new EnumMap<>(Workload.class);
    for (int round = 0; round < rounds; round++) {
      List<Client> order = Arrays.asList(Client.values());
      if (round % 2 == 1) {
        order = order.reversed();
      }
      for (Workload workload : Workload.values()) {
        for (Client client : order) {
          Cell cell =
              cells
                  .computeIfAbsent(workload, w -> new EnumMap<>(Client.class))
                  .computeIfAbsent(client, c -> new Cell());
          run(adapters.get(client).of(workload), workload, seconds, cell);
        }
      }
      System.err.printf(Locale.ROOT, "http-client: round %d of %d done%n", round + 1, rounds);
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    String loadAfter = loadAverage();
    for (Adapters a : adapters.values()) {
      a.plain().close();
      a.stream().close();
    }
    String report =
        HttpClientReport.render(
            cells, rounds, seconds, warmup, elapsed, upstream, loadBefore, loadAfter, options);
    Files.writeString(out, report);
    System.out.print(report);
  }

  private static Adapters adapters(Client client, URI upstream) {
    String previous = System.setProperty(PROPERTY, client.property);
    try {
      return new Adapters(
          Providers.create(settings(client, upstream.resolve("/v1"))),
          Providers.create(settings(client, upstream.resolve("/stream/v1"))));
    } finally {
      if (previous == null) {
        System.clearProperty(PROPERTY);
      } else {
        System.setProperty(PROPERTY, previous);
      }
    }
  }

  private static ProviderSettings settings(Client client, URI baseUrl) {
    return new ProviderSettings(client.property, ProviderApi.OPENAI, baseUrl, null, Map.of());
  }

  /** Runs {@code workload} for {@code seconds} and adds what it measured to {@code cell}. */
  private static void run(Provider provider, Workload workload, double seconds, Cell cell)
      throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong calls = new AtomicLong();
    List<Latencies> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < workload.concurrency; i++) {
      Latencies latencies = new Latencies();
      perThread.add(latencies);
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (System.nanoTime() < end) {
                      long t0 = System.nanoTime();
                      String failure = call(provider, workload.stream);
                      latencies.add(System.nanoTime() - t0);
                      calls.incrementAndGet();
                      if (failure != null) {
                        synchronized (cell) {
                          cell.errors++;
                          cell.firstError = cell.firstError == null ? failure : cell.firstError;
                        }
                      }
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double took = (System.nanoTime() - start) / 1e9;
    cell.callsPerSecond.add(calls.get() / took);
    perThread.forEach(cell.latencies::addAll);
  }

  /** One call; null when it answered what the upstream says, else what went wrong. */
  private static String call(Provider provider, boolean stream) {
    try {
      ChatResponse response =
          stream
              ? provider.chatStream(REQUEST, OPTIONS, delta -> {})
              : provider.chat(REQUEST, OPTIONS);
      String text = response.message().text();
      String expected = stream ? STREAM_TEXT : PLAIN_TEXT;
      return expected.equals(text) ? null : "unexpected answer: " + text;
    } catch (RuntimeException e) {
      return e.toString();
    }
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, but was " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  /** Latencies in nanoseconds, appended by one thread, then merged. */
  static final class Latencies {
    private long[] nanos = new long[1024];
    private int size;

    void add(long value) {
      if (size == nanos.length) {
        nanos = Arrays.copyOf(nanos, size * 2);
      }
      nanos[size++] = value;
    }

    void addAll(Latencies other) {
      for (int i = 0; i < other.size; i++) {
        add(other.nanos[i]);
      }
    }

    int count() {
      return size;
    }

    /** The latency at {@code percentile} in milliseconds, nearest rank; NaN when empty. */
    double millis(double percentile) {
      if (size == 0) {
        return Double.NaN;
      }
      long[] sorted = Arrays.copyOf(nanos, size);
      Arrays.sort(sorted);
      int rank = Math.max(1, (int) Math.ceil(percentile / 100.0 * size));
      return sorted[rank - 1] / 1e6;
    }
  }
}
