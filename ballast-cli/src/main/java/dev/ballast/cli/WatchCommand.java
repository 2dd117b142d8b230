package dev.ballast.cli;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.spi.Store;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import dev.ballast.core.watch.MinuteAggregate;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ballast watch}: a live view of Watch from the store (every node's): the open alerts, then
 * per series and signal what the last minutes held — count and, for a latency or token signal, the
 * geometric mean; for a rate, the share of events; for an identity, the values answered with.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = "Live view of Watch's series and open alerts, redrawn every --interval.")
final class WatchCommand implements Callable<Integer> {
  @Mixin NodeOptions node = new NodeOptions();

  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      defaultValue = "2",
      description = "seconds between redraws (default 2)")
  int interval;

  @Option(
      names = "--minutes",
      paramLabel = "N",
      defaultValue = "5",
      description = "how many recent minutes the series show (default 5)")
  int minutes;

  @Option(names = "--once", description = "draw once and exit")
  boolean once;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (interval < 1 || minutes < 1 || minutes > 1440) {
      throw new ParameterException(
          spec.commandLine(), "--interval must be at least 1 and --minutes from 1 to 1440");
    }
    PrintWriter out = spec.commandLine().getOut();
    BallastConfig config = node.load(out);
    boolean redraw = !once && Terminal.interactive();
    try (Store store = RunsCommand.open(config)) {
      while (true) {
        if (redraw) {
          out.print("\u001b[H\u001b[2J");
        }
        draw(out, store, Clock.systemUTC().instant());
        out.flush();
        if (once) {
          return 0;
        }
        Thread.sleep(Duration.ofSeconds(interval));
      }
    }
  }

  private void draw(PrintWriter out, Store store, Instant now) {
    List<AlertRecord> open = store.watch().alerts(AlertState.OPEN, 50);
    out.printf(
        "ballast watch  %s  open alerts: %d%n%n", now.toString().substring(0, 19), open.size());
    for (AlertRecord a : open) {
      out.printf("  %-8s %s  (%s, since %s)%n", a.severity(), a.title(), a.id(), a.openedAt());
    }
    if (!open.isEmpty()) {
      out.println();
    }
    long until = now.getEpochSecond() / 60 + 1;
    Map<String, Totals> series = new TreeMap<>();
    for (MinuteAggregate row : store.watch().minutes(until - minutes, until)) {
      series.computeIfAbsent(row.series() + "\u0000" + row.signal(), k -> new Totals()).add(row);
    }
    out.printf("last %d minutes:%n", minutes);
    out.printf("  %-34s %-26s %8s  %s%n", "SERIES", "SIGNAL", "COUNT", "VALUE");
    series.forEach(
        (key, t) -> {
          String[] parts = key.split("\u0000", 2);
          out.printf("  %-34s %-26s %8d  %s%n", parts[0], parts[1], t.count, t.value(parts[1]));
        });
  }

  private static final class Totals {
    long count;
    double sum;
    boolean continuous;

    void add(MinuteAggregate row) {
      count += row.count();
      sum += row.sum();
      continuous |= !row.histogram().isEmpty();
    }

    String value(String signal) {
      if (signal.indexOf(':') > 0) {
        return "answered";
      }
      if (count == 0) {
        return "-";
      }
      if (continuous) {
        double mean = Math.exp(sum / count);
        return String.format(
            Locale.ROOT, "%.1f (geometric mean)", signal.endsWith("tokens") ? mean - 1 : mean);
      }
      return String.format(Locale.ROOT, "%.2f%%", 100 * sum / count);
    }
  }
}
