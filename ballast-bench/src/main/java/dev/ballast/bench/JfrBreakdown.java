package dev.ballast.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a node's CPU time goes, from a JFR recording's execution samples: per thread kind, per
 * subsystem (inclusive: the sample's stack passes through it; self: the first subsystem from the
 * top of the stack), the Ballast code that calls into JSON serialization, and the hottest methods.
 *
 * <pre>
 *   java -cp ... dev.ballast.bench.JfrBreakdown recording.jfr [--out breakdown.md]
 * </pre>
 */
public final class JfrBreakdown {
  /** Subsystems by package prefix, most specific first. */
  private static final Map<String, String> SUBSYSTEMS = new LinkedHashMap<>();

  static {
    SUBSYSTEMS.put("com.fasterxml.jackson", "JSON (Jackson)");
    SUBSYSTEMS.put("org.sqlite", "SQLite driver");
    SUBSYSTEMS.put("dev.ballast.store", "store / journal append");
    SUBSYSTEMS.put("dev.ballast.telemetry", "metrics and spans");
    SUBSYSTEMS.put("io.opentelemetry", "metrics and spans");
    SUBSYSTEMS.put("com.knuddels.jtokkit", "tokenizer");
    SUBSYSTEMS.put("sun.security.provider", "SHA-256 (key hash)");
    SUBSYSTEMS.put("dev.ballast.providers", "upstream client");
    SUBSYSTEMS.put("dev.ballast.calls", "call chain");
    SUBSYSTEMS.put("dev.ballast.resilience", "call chain");
    SUBSYSTEMS.put("dev.ballast.gateway", "HTTP edge");
    SUBSYSTEMS.put("io.helidon", "Helidon server");
    SUBSYSTEMS.put("ch.qos.logback", "logging");
    SUBSYSTEMS.put("org.slf4j", "logging");
  }

  private final Map<String, Integer> threads = new HashMap<>();
  private final Map<String, Integer> inclusive = new HashMap<>();
  private final Map<String, Integer> self = new HashMap<>();
  private final Map<String, Integer> jsonCallers = new HashMap<>();
  private final Map<String, Integer> hotMethods = new HashMap<>();
  private int samples;

  public static void main(String[] args) throws IOException {
    if (args.length != 1 && !(args.length == 3 && args[1].equals("--out"))) {
      System.err.println("usage: JfrBreakdown recording.jfr [--out breakdown.md]");
      System.exit(2);
    }
    JfrBreakdown breakdown = new JfrBreakdown();
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (event.getEventType().getName().equals("jdk.ExecutionSample")) {
        breakdown.add(event);
      }
    }
    if (args.length == 3) {
      try (PrintStream out = new PrintStream(Files.newOutputStream(Path.of(args[2])))) {
        breakdown.write(out);
      }
    } else {
      breakdown.write(System.out);
    }
  }

  void add(RecordedEvent event) {
    RecordedStackTrace stack = event.getStackTrace();
    if (stack == null || stack.getFrames().isEmpty()) {
      return;
    }
    samples++;
    RecordedThread thread = event.getThread("sampledThread");
    threads.merge(threadKind(thread == null ? "" : thread.getJavaName()), 1, Integer::sum);
    List<String> types = new ArrayList<>();
    for (RecordedFrame frame : stack.getFrames()) {
      if (frame.isJavaFrame()) {
        types.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
      }
    }
    if (types.isEmpty()) {
      return;
    }
    hotMethods.merge(types.get(0), 1, Integer::sum);
    Set<String> seen = new LinkedHashSet<>();
    String first = null;
    for (String method : types) {
      String subsystem = subsystem(method);
      if (subsystem != null) {
        seen.add(subsystem);
        if (first == null) {
          first = subsystem;
        }
      }
    }
    seen.forEach(s -> inclusive.merge(s, 1, Integer::sum));
    self.merge(first == null ? "JDK and other" : first, 1, Integer::sum);
    if (seen.contains("JSON (Jackson)")) {
      types.stream()
          .filter(m -> m.startsWith("dev.ballast."))
          .findFirst()
          .ifPresent(m -> jsonCallers.merge(m, 1, Integer::sum));
    }
  }

  private static String subsystem(String method) {
    for (Map.Entry<String, String> e : SUBSYSTEMS.entrySet()) {
      if (method.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  private static String threadKind(String name) {
    if (name.startsWith("ballast-journal")) {
      return "journal writer (" + name + ")";
    }
    if (name.contains("WebServer socket") || name.isEmpty()) {
      return "request handling (Helidon virtual threads and their carriers)";
    }
    if (name.startsWith("ForkJoinPool")) {
      return "virtual-thread carriers and common pool";
    }
    if (name.startsWith("BatchSpanProcessor") || name.startsWith("OkHttp")) {
      return "span export";
    }
    return "other: " + name.replaceAll("\\d+", "N");
  }

  void write(PrintStream out) {
    out.printf("%,d execution samples.%n%n", samples);
    table(out, "thread", threads, Integer.MAX_VALUE);
    table(out, "subsystem (inclusive)", inclusive, Integer.MAX_VALUE);
    table(out, "subsystem (self: first from the top of the stack)", self, Integer.MAX_VALUE);
    table(out, "Ballast code calling into JSON", jsonCallers, 10);
    table(out, "hottest methods (top frame)", hotMethods, 12);
  }

  private void table(PrintStream out, String heading, Map<String, Integer> counts, int limit) {
    out.printf("| %s | samples | share |%n|---|---:|---:|%n", heading);
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(limit)
        .forEach(
            e ->
                out.printf(
                    "| `%s` | %d | %.1f %% |%n",
                    e.getKey(), e.getValue(), 100.0 * e.getValue() / samples));
    out.println();
  }
}
