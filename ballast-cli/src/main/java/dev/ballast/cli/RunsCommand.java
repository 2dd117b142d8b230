package dev.ballast.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunStatus;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.RunFilter;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import dev.ballast.pipeline.DeadRuns;
import dev.ballast.replay.trace.RunTraces;
import dev.ballast.replay.trace.TraceNode;
import dev.ballast.store.Stores;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ballast runs}: read the journal and the pipeline run queue from the store, with or without
 * a running gateway, and resume dead pipeline runs.
 */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List runs, show their journals, resume dead pipeline runs.",
    subcommands = {RunsCommand.ListRuns.class, RunsCommand.ShowRun.class, RunsCommand.Resume.class})
final class RunsCommand {
  /** Pipeline run ids start with this; gateway run ids with {@code run_}. */
  static final String PIPELINE_RUN_PREFIX = "prun_";

  /** What {@code --pipeline} without a name stands for: every pipeline. */
  private static final String ANY_PIPELINE = "*";

  private static final int MAX_LIMIT = 10_000;

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List recent runs, newest first: every run in the journal, or, with --pipeline or"
              + " --state, pipeline runs from the run queue with their state, stage and last"
              + " error.")
  static final class ListRuns implements Callable<Integer> {
    @Mixin NodeOptions node = new NodeOptions();

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "20",
        description = "at most this many (1-10000)")
    int limit;

    @Option(
        names = "--model",
        paramLabel = "GROUP",
        description = "gateway runs of this model group")
    String model;

    @Option(
        names = "--status",
        paramLabel = "STATUS",
        converter = Converters.Status.class,
        description = "gateway runs in this journal status: running, succeeded, failed or dead")
    RunStatus status;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "runs of this tenant")
    String tenant;

    @Option(
        names = "--error-class",
        paramLabel = "CLASS",
        description = "gateway runs that failed with this class")
    String errorClass;

    @Option(
        names = "--since",
        paramLabel = "INSTANT",
        description = "gateway runs started since, ISO-8601 instant")
    Instant since;

    @Option(
        names = "--pipeline",
        paramLabel = "NAME",
        arity = "0..1",
        fallbackValue = ANY_PIPELINE,
        description = "pipeline runs from the run queue; of pipeline NAME only when given")
    String pipeline;

    @Option(
        names = "--state",
        paramLabel = "STATE",
        split = ",",
        converter = Converters.State.class,
        description =
            "pipeline runs in this state: queued, running, waiting, succeeded, failed or dead"
                + " (several separated by commas)")
    Set<QueueState> states;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new ParameterException(
            spec.commandLine(), "--limit must be between 1 and 10000, but was " + limit);
      }
      boolean pipelineRuns = pipeline != null || states != null;
      if (pipelineRuns) {
        rejectGatewayFilters();
      }
      PrintWriter out = spec.commandLine().getOut();
      BallastConfig config = node.loadReadOnly(out);
      try (Store store = openExisting(config)) {
        if (pipelineRuns) {
          String name = ANY_PIPELINE.equals(pipeline) ? null : pipeline;
          List<RunState> runs =
              store
                  .runQueue()
                  .list(new RunFilter(states == null ? Set.of() : states, name, tenant, limit));
          PipelineRunText.list(out, runs, new Definitions(config));
        } else {
          listJournal(out, store.journal());
        }
      }
      return 0;
    }

    private void rejectGatewayFilters() {
      for (var option : List.of("--model", "--status", "--error-class", "--since")) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
          throw new ParameterException(
              spec.commandLine(),
              option
                  + " filters the journal's runs; it cannot be combined with --pipeline or --state"
                  + " (pipeline runs are filtered by pipeline, state and tenant)");
        }
      }
    }

    private void listJournal(PrintWriter out, JournalStore store) {
      List<RunSummary> runs =
          store.listRuns(new RunQuery(tenant, model, status, errorClass, since, null, limit));
      // Widths follow the content: a stage call's id is longer than a gateway call's. A failed
      // run's error class has a column of its own; DEPLOYMENT only ever names a deployment.
      Table table =
          new Table(
              "RUN",
              "STARTED",
              "STATUS",
              "MODEL",
              "DEPLOYMENT",
              "ERROR",
              "ATTEMPTS>",
              "IN>",
              "OUT>",
              "COST $>");
      for (RunSummary r : runs) {
        table.row(
            r.id(),
            Text.time(r.startedAt()),
            r.status().wireName(),
            model(r),
            r.deployment(),
            r.errorClass(),
            r.attempts(),
            r.inputTokens(),
            r.outputTokens(),
            String.format(Locale.ROOT, "%.6f", r.cost()));
      }
      table.print(out);
      out.println(runs.size() + " run(s)");
    }

    /** A pipeline run has no model; its pipeline's name says more. */
    private static String model(RunSummary r) {
      return r.model() == null && "pipeline".equals(r.kind())
          ? "pipeline:" + r.operation()
          : r.model();
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Show a run and its execution tree: stages, attempts (worker, queue wait, why retried),"
              + " model calls with their provider attempts (deployment, breaker state, tokens,"
              + " cost), retrievals, memory reads and writes, context cuts, effects. For a"
              + " pipeline run (prun_...) first its state from the run queue and a per-stage"
              + " table. --journal prints the raw journal instead of the tree.")
  static final class ShowRun implements Callable<Integer> {
    @Mixin NodeOptions node = new NodeOptions();

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--journal", description = "print the journal event by event, not the tree")
    boolean journalView;

    @Option(
        names = "--json",
        description = "print the tree (or, with --journal, each event) as JSON")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      BallastConfig config = node.loadReadOnly(out);
      try (Store store = openExisting(config)) {
        if (json && !journalView) {
          Optional<TraceNode> trace = new RunTraces(store.journal()).trace(id);
          if (trace.isEmpty()) {
            spec.commandLine().getErr().println("ballast: no run with id '" + id + "'");
            return 2;
          }
          out.println(CliJson.pretty(trace.get()));
          return 0;
        }
        Optional<RunState> queued =
            id.startsWith(PIPELINE_RUN_PREFIX) ? store.runQueue().find(id) : Optional.empty();
        RunSummary run = queued.isPresent() ? null : store.journal().findRun(id).orElse(null);
        if (queued.isEmpty() && run == null) {
          spec.commandLine().getErr().println("ballast: no run with id '" + id + "'");
          return 2;
        }
        List<JournalEntry> journal = store.journal().events(id);
        Optional<TraceNode> trace = new RunTraces(store.journal()).trace(id);
        if (queued.isPresent()) {
          PipelineRunText.show(out, queued.get(), journal, new Definitions(config));
        } else {
          summary(out, run, trace.orElse(null));
        }
        if (!journalView) {
          if (trace.isPresent()) {
            out.println("trace:");
            TraceText.print(out, trace.get());
          }
          return 0;
        }
        out.println("journal:");
        for (JournalEntry e : journal) {
          ObjectNode body = CliJson.tree(e.event());
          body.remove("type");
          out.printf(
              "%5d  %s  %-16s %s%n",
              e.seq(),
              e.at(),
              e.event().typeName(),
              json ? CliJson.compact(body) : EventLine.of(e.event()));
        }
      }
      return 0;
    }

    /**
     * The header of a run known only to the journal (a gateway call, or a what-if run that was
     * never queued). A pipeline run names no model of its own and its attempts, tokens and cost are
     * its stages' calls', which its trace sums; the journal's summary has none of them.
     */
    private static void summary(PrintWriter out, RunSummary run, TraceNode trace) {
      boolean pipeline = "pipeline".equals(run.kind());
      out.printf(
          Locale.ROOT,
          "run %s  tenant=%s  %s %s%s  status=%s%s%n",
          run.id(),
          run.tenant(),
          run.kind(),
          run.operation(),
          pipeline ? "" : "  model=" + run.model(),
          run.status().wireName(),
          run.errorClass() == null ? "" : "  error=" + run.errorClass());
      boolean summed = pipeline && trace != null;
      out.printf(
          Locale.ROOT,
          "  started %s  ended %s  attempts %d  tokens %d in / %d out  cost $%.6f%n",
          run.startedAt(),
          run.endedAt(),
          summed ? number(trace, "provider_attempts").longValue() : run.attempts(),
          summed ? number(trace, "input_tokens").longValue() : run.inputTokens(),
          summed ? number(trace, "output_tokens").longValue() : run.outputTokens(),
          summed ? number(trace, "cost_usd").doubleValue() : run.cost());
    }

    private static Number number(TraceNode trace, String key) {
      return trace.attributes().get(key) instanceof Number n ? n : 0;
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description =
          "Resume a dead pipeline run: back to queued at the stage that failed, with a fresh"
              + " attempt count and its earlier stages' outputs kept. A worker sharing the store"
              + " runs it.")
  static final class Resume implements Callable<Integer> {
    @Mixin NodeOptions node = new NodeOptions();

    @Parameters(paramLabel = "ID", description = "the pipeline run, prun_...")
    String id;

    @Spec CommandSpec spec;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      BallastConfig config = node.load(out);
      try (Store store = open(config)) {
        RunQueue queue = store.runQueue();
        RunState before = queue.find(id).orElse(null);
        if (before == null) {
          err.println("ballast: no pipeline run with id '" + id + "'");
          return 1;
        }
        if (before.state() != QueueState.DEAD) {
          err.println("ballast: " + notDead(before));
          return 1;
        }
        // The engine's own resume, journaled the same way (RunResumed), straight to the store.
        if (DeadRuns.resume(queue, store.journal(), id, clock.instant()).isEmpty()) {
          RunState now = queue.find(id).orElse(before);
          err.println(
              "ballast: run "
                  + id
                  + " is no longer dead (now "
                  + now.state().wireName()
                  + "): it was resumed or changed meanwhile");
          return 1;
        }
        RunState after = queue.find(id).orElse(before);
        out.printf(
            "resumed %s: %s at stage %s of %s@%s, with a fresh attempt count%n",
            id,
            after.state().wireName(),
            before.failedStage() == null
                ? String.valueOf(before.stageIndex())
                : before.failedStage(),
            before.pipeline(),
            before.pipelineVersion());
        if (before.error() != null) {
          out.println("  it had failed with: " + before.error());
        }
        out.println(
            "  a worker (server.role worker or both) sharing this store runs it; follow it with:"
                + " ballast runs show "
                + id);
      }
      return 0;
    }

    private String notDead(RunState run) {
      String state = run.state().wireName();
      return switch (run.state()) {
        case FAILED ->
            "run "
                + id
                + " is failed, not dead: its failure was not retryable, so it is final"
                + (run.error() == null ? "" : " (" + run.error() + ")");
        case SUCCEEDED -> "run " + id + " is succeeded, not dead; there is nothing to resume";
        default -> "run " + id + " is " + state + ", not dead; only a dead run can be resumed";
      };
    }
  }

  static Store open(BallastConfig config) {
    return Stores.open(config.storeUrl(), config.server().dataDir());
  }

  /** The store for a command that only reads: one that does not exist yet is not created. */
  static Store openExisting(BallastConfig config) {
    return Stores.openExisting(config.storeUrl(), config.server().dataDir());
  }
}
