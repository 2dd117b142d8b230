package dev.ballast.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunStatus;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.store.Stores;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ballast runs}: read the journal from the store, with or without a running gateway. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List runs and show their journals.",
    subcommands = {RunsCommand.ListRuns.class, RunsCommand.ShowRun.class})
final class RunsCommand {

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List recent runs, newest first.")
  static final class ListRuns implements Callable<Integer> {
    @Mixin NodeOptions node = new NodeOptions();

    @Option(names = "--limit", defaultValue = "20")
    int limit;

    @Option(names = "--model")
    String model;

    @Option(names = "--status", description = "running, succeeded or failed")
    String status;

    @Option(names = "--tenant")
    String tenant;

    @Option(names = "--error-class")
    String errorClass;

    @Option(names = "--since", description = "ISO-8601 instant")
    Instant since;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      BallastConfig config = node.load(out);
      RunStatus parsed = status == null ? null : RunStatus.parse(status);
      try (JournalStore store = Stores.open(config.storeUrl(), config.server().dataDir())) {
        List<RunSummary> runs =
            store.listRuns(new RunQuery(tenant, model, parsed, errorClass, since, null, limit));
        out.printf(
            "%-27s  %-20s  %-9s  %-16s  %-18s  %8s  %6s  %6s  %10s%n",
            "RUN", "STARTED", "STATUS", "MODEL", "DEPLOYMENT", "ATTEMPTS", "IN", "OUT", "COST $");
        for (RunSummary r : runs) {
          out.printf(
              Locale.ROOT,
              "%-27s  %-20s  %-9s  %-16s  %-18s  %8d  %6d  %6d  %10.6f%n",
              r.id(),
              r.startedAt() == null ? "-" : r.startedAt().toString().substring(0, 19),
              r.status().wireName() + (r.errorClass() == null ? "" : ""),
              trim(r.model(), 16),
              trim(
                  r.deployment() == null
                      ? (r.errorClass() == null ? "-" : r.errorClass())
                      : r.deployment(),
                  18),
              r.attempts(),
              r.inputTokens(),
              r.outputTokens(),
              r.cost());
        }
        out.println(runs.size() + " run(s)");
      }
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a run and its full journal.")
  static final class ShowRun implements Callable<Integer> {
    @Mixin NodeOptions node = new NodeOptions();

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--json", description = "print the journal as JSON")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      BallastConfig config = node.load(out);
      try (JournalStore store = Stores.open(config.storeUrl(), config.server().dataDir())) {
        RunSummary run = store.findRun(id).orElse(null);
        if (run == null) {
          spec.commandLine().getErr().println("ballast: no run with id '" + id + "'");
          return 2;
        }
        out.printf(
            Locale.ROOT,
            "run %s  tenant=%s  %s %s  model=%s  status=%s%s%n",
            run.id(),
            run.tenant(),
            run.kind(),
            run.operation(),
            run.model(),
            run.status().wireName(),
            run.errorClass() == null ? "" : "  error=" + run.errorClass());
        out.printf(
            Locale.ROOT,
            "  started %s  ended %s  attempts %d  tokens %d in / %d out  cost $%.6f%n",
            run.startedAt(),
            run.endedAt(),
            run.attempts(),
            run.inputTokens(),
            run.outputTokens(),
            run.cost());
        for (JournalEntry e : store.events(id)) {
          ObjectNode body = Json.mapper().valueToTree(e.event());
          body.remove("type");
          out.printf(
              "%3d  %s  %-16s %s%n",
              e.seq(),
              e.at(),
              e.event().typeName(),
              json ? Json.mapper().writeValueAsString(body) : EventLine.of(e.event()));
        }
      }
      return 0;
    }
  }

  private static String trim(String s, int width) {
    if (s == null) {
      return "-";
    }
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }
}
