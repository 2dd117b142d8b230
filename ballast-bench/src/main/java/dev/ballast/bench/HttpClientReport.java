package dev.ballast.bench;

import dev.ballast.bench.HttpClientBenchmark.Cell;
import dev.ballast.bench.HttpClientBenchmark.Client;
import dev.ballast.bench.HttpClientBenchmark.Workload;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

/**
 * The Markdown report of {@link HttpClientBenchmark}: one table per workload and the rule
 * applied to the numbers (the library is adopted when it is within 10 % on c32 throughput and c1
 * p99).
 */
final class HttpClientReport {
  static final double TOLERANCE = 0.10;

  private HttpClientReport() {}

  static String render(
      Map<Workload, Map<Client, Cell>> cells,
      int rounds,
      double seconds,
      double warmup,
      double elapsed,
      URI upstream,
      String loadBefore,
      String loadAfter,
      Map<String, String> options) {
    StringBuilder md = new StringBuilder();
    md.append("# Plain-http client: hand-written HTTP/1.1 vs Helidon WebClient — ")
        .append(LocalDate.now(ZoneOffset.UTC))
        .append("\n\n");
    md.append(
            "Both clients carry the same OpenAI-compatible provider adapter"
                + " (`Providers.create`, request encoding and response decoding included) against"
                + " the same upstream, ")
        .append(options.getOrDefault("upstream-label", upstream.toString()))
        .append(", in one JVM. ")
        .append(rounds)
        .append(" interleaved rounds (the clients' order alternates every round) of ")
        .append(fmt(seconds))
        .append(" s per client and workload, after ")
        .append(fmt(warmup))
        .append(" s of warm-up per client and workload; ")
        .append(fmt(elapsed))
        .append(
            " s measured in all. c1 is one caller back to back; c32 is 32 virtual threads."
                + " Latency percentiles pool every call of every round; calls/s is the median of the"
                + " rounds (min–max in brackets). Every answer is checked.\n\n");
    md.append("- load average (1/5/15 min) before: ")
        .append(loadBefore)
        .append(", after: ")
        .append(loadAfter)
        .append(" on ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs (a shared machine; the interleaving is what makes the comparison fair)\n");
    md.append("- JVM: ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append(", flags: `")
        .append(options.getOrDefault("jvm-flags", ""))
        .append("`\n");
    if (options.containsKey("commit")) {
      md.append("- commit: ").append(options.get("commit")).append('\n');
    }
    md.append('\n');
    for (Workload workload : Workload.values()) {
      table(md, workload, cells.get(workload));
    }
    decision(md, cells);
    return md.toString();
  }

  private static void table(StringBuilder md, Workload workload, Map<Client, Cell> row) {
    md.append("## ").append(workload.label).append("\n\n");
    md.append("| client | calls/s | p50 ms | p99 ms | calls | errors |\n");
    md.append("|---|---:|---:|---:|---:|---:|\n");
    for (Client client : Client.values()) {
      Cell cell = row.get(client);
      double min = cell.callsPerSecond.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double max = cell.callsPerSecond.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      md.append("| ")
          .append(client.label)
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.0f (%.0f–%.0f)", cell.medianRate(), min, max))
          .append(" | ")
          .append(fmt3(cell.latencies.millis(50)))
          .append(" | ")
          .append(fmt3(cell.latencies.millis(99)))
          .append(" | ")
          .append(cell.latencies.count())
          .append(" | ")
          .append(cell.errors)
          .append(cell.firstError == null ? "" : " (first: `" + cell.firstError + "`)")
          .append(" |\n");
    }
    md.append('\n');
  }

  private static void decision(StringBuilder md, Map<Workload, Map<Client, Cell>> cells) {
    md.append("## The rule (WebClient within ")
        .append((int) (TOLERANCE * 100))
        .append(" % on c32 throughput and c1 p99)\n\n");
    md.append("| measure | hand-written | WebClient | WebClient vs hand-written | within |\n");
    md.append("|---|---:|---:|---:|---|\n");
    boolean all = true;
    for (Workload workload : Workload.values()) {
      Cell http1 = cells.get(workload).get(Client.HTTP1);
      Cell web = cells.get(workload).get(Client.WEBCLIENT);
      if (workload.concurrency == 32) {
        all &= row(md, workload.label + " calls/s", http1.medianRate(), web.medianRate(), true);
      } else {
        all &=
            row(
                md,
                workload.label + " p99 ms",
                http1.latencies.millis(99),
                web.latencies.millis(99),
                false);
      }
    }
    md.append("\nVerdict by the rule: ")
        .append(
            all
                ? "**within** on every measure."
                : "**not within** on at least one measure: keep the hand-written client.")
        .append("\n");
  }

  /** Returns whether WebClient is within the tolerance on this measure. */
  private static boolean row(
      StringBuilder md, String measure, double http1, double web, boolean higherIsBetter) {
    double change = web / http1 - 1;
    boolean within = higherIsBetter ? change >= -TOLERANCE : change <= TOLERANCE;
    md.append("| ")
        .append(measure)
        .append(" | ")
        .append(fmt3(http1))
        .append(" | ")
        .append(fmt3(web))
        .append(" | ")
        .append(String.format(Locale.ROOT, "%+.1f %%", change * 100))
        .append(" | ")
        .append(within ? "yes" : "no")
        .append(" |\n");
    return within;
  }

  private static String fmt(double value) {
    return value == Math.rint(value)
        ? String.format(Locale.ROOT, "%.0f", value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String fmt3(double value) {
    return value >= 100
        ? String.format(Locale.ROOT, "%.0f", value)
        : String.format(Locale.ROOT, "%.3f", value);
  }
}
