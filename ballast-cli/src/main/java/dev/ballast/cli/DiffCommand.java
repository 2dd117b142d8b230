package dev.ballast.cli;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.spi.Store;
import dev.ballast.replay.trace.RunDiff;
import dev.ballast.replay.trace.RunDiffs;
import dev.ballast.replay.trace.RunTraces;
import dev.ballast.replay.trace.TraceNode;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ballast diff A B}: two runs aligned stage by stage from the journal, with the first point
 * where they part named. Exits 0 when they agree on every compared field, 1 when they differ (like
 * {@code diff}), 2 when a run is unknown.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description =
        "Compare two runs stage by stage (pins, prompt versions, answering model and fingerprint,"
            + " retrieved chunks, memory versions, context cuts, effects, outputs, tokens, cost)"
            + " and name the first divergence. Exit 0: identical, 1: different.")
final class DiffCommand implements Callable<Integer> {
  @Mixin NodeOptions node = new NodeOptions();

  @Parameters(index = "0", paramLabel = "RUN_A", description = "the run that worked, say")
  String runA;

  @Parameters(index = "1", paramLabel = "RUN_B", description = "the run that did not")
  String runB;

  @Option(names = "--all", description = "print every compared field, not only the differing")
  boolean all;

  @Option(names = "--json", description = "print the alignment as JSON")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    BallastConfig config = node.loadReadOnly(out);
    RunDiff diff;
    try (Store store = RunsCommand.openExisting(config)) {
      RunTraces traces = new RunTraces(store.journal());
      Optional<TraceNode> a = traces.trace(runA);
      Optional<TraceNode> b = traces.trace(runB);
      if (a.isEmpty() || b.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println("ballast: no run with id '" + (a.isEmpty() ? runA : runB) + "'");
        return 2;
      }
      diff = RunDiffs.diff(a.get(), b.get());
    }
    if (json) {
      out.println(CliJson.pretty(diff));
      return diff.identical() ? 0 : 1;
    }
    out.printf("a: %s%nb: %s%n", runA, runB);
    RunDiff.Row first = diff.firstDivergence();
    if (first == null) {
      out.printf("identical: %d fields compared, none differ%n", diff.rows().size());
    } else {
      out.printf(
          "first divergence: %s %s: %s -> %s%n",
          first.scope(), first.field(), cell(first.a(), 100), cell(first.b(), 100));
    }
    long differing = diff.rows().stream().filter(r -> !r.same()).count();
    if (differing > 0 || all) {
      out.printf("%-2s %-18s %-22s %-40s %s%n", "", "SCOPE", "FIELD", "A", "B");
      for (RunDiff.Row r : diff.rows()) {
        if (r.same() && !all) {
          continue;
        }
        out.printf(
            "%-2s %-18s %-22s %-40s %s%n",
            r.same() ? "" : "≠", r.scope(), r.field(), cell(r.a(), 40), cell(r.b(), 60));
      }
      out.printf("%d of %d fields differ%n", differing, diff.rows().size());
    }
    return diff.identical() ? 0 : 1;
  }

  private static String cell(Object value, int width) {
    return Text.trim(value == null ? null : String.valueOf(value), width);
  }
}
