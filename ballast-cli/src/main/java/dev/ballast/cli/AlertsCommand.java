package dev.ballast.cli;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.spi.Store;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ballast alerts list|show}: Watch's alerts, read from the store (every node's), with or
 * without a running gateway.
 */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = "Watch's alerts: what changed, on which series, and the runs that show it.",
    subcommands = {AlertsCommand.ListAlerts.class, AlertsCommand.Show.class})
final class AlertsCommand {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Alerts, newest first.")
  static final class ListAlerts implements Callable<Integer> {
    @Mixin NodeOptions node = new NodeOptions();

    @Option(names = "--state", paramLabel = "STATE", description = "open or resolved")
    String state;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most N")
    int limit;

    @Option(names = "--json", description = "print the alerts as JSON")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      AlertState filter = null;
      if (state != null) {
        filter =
            AlertState.of(state)
                .orElseThrow(
                    () ->
                        new ParameterException(
                            spec.commandLine(),
                            "--state must be open or resolved, but was " + state));
      }
      if (limit < 1 || limit > 1000) {
        throw new ParameterException(
            spec.commandLine(), "--limit must be from 1 to 1000, but was " + limit);
      }
      PrintWriter out = spec.commandLine().getOut();
      BallastConfig config = node.loadReadOnly(out);
      List<AlertRecord> alerts;
      try (Store store = RunsCommand.openExisting(config)) {
        alerts = store.watch().alerts(filter, limit);
      }
      if (json) {
        out.println(CliJson.pretty(alerts));
        return 0;
      }
      if (alerts.isEmpty()) {
        out.println("no alerts");
        return 0;
      }
      out.printf("%-34s %-9s %-8s %-20s %s%n", "ID", "STATE", "SEVERITY", "OPENED", "TITLE");
      for (AlertRecord a : alerts) {
        out.printf(
            "%-34s %-9s %-8s %-20s %s%n",
            a.id(),
            a.state().wireName(),
            a.severity(),
            a.openedAt().toString().substring(0, Math.min(19, a.openedAt().toString().length())),
            a.title());
      }
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One alert: its numbers, its last good and first bad run, and their diff.")
  static final class Show implements Callable<Integer> {
    @Mixin NodeOptions node = new NodeOptions();

    @Parameters(index = "0", paramLabel = "ALERT", description = "the alert id (alrt_...)")
    String id;

    @Option(names = "--json", description = "print the alert as JSON")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      BallastConfig config = node.loadReadOnly(out);
      Optional<AlertRecord> alert;
      try (Store store = RunsCommand.openExisting(config)) {
        alert = store.watch().alert(id);
      }
      if (alert.isEmpty()) {
        spec.commandLine().getErr().println("ballast: no alert with id '" + id + "'");
        return 2;
      }
      AlertRecord a = alert.get();
      if (json) {
        out.println(CliJson.pretty(a));
        return 0;
      }
      out.printf("%s  %s  %s  %s%n", a.id(), a.state().wireName(), a.severity(), a.kind());
      out.printf("%s%n", a.title());
      out.printf("series %s, signal %s%n", a.series(), a.signal());
      out.printf(
          "opened %s%s, onset about %s%n",
          a.openedAt(), a.resolvedAt() == null ? "" : ", resolved " + a.resolvedAt(), a.onsetAt());
      if (a.baseline() != null) {
        out.printf(
            "baseline %s %s, since the onset %s %s over %d observations%n",
            a.baseline(), a.unit(), a.current(), a.unit(), a.samples());
      }
      a.details().forEach((k, v) -> out.printf("  %s: %s%n", k, v));
      out.printf("last good run %s%nfirst bad run %s%n", a.lastGoodRun(), a.firstBadRun());
      if (a.diff().isEmpty()) {
        out.println("diff: the two runs agree on every compared field (or one is unknown)");
      } else {
        out.println("diff (ballast diff " + a.lastGoodRun() + " " + a.firstBadRun() + "):");
        for (AlertRecord.DiffRow r : a.diff()) {
          out.printf("  %s %s: %s -> %s%n", r.scope(), r.field(), r.good(), r.bad());
        }
      }
      return 0;
    }
  }
}
