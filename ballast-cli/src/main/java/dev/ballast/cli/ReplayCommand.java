package dev.ballast.cli;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunStatus;
import dev.ballast.core.spi.Store;
import dev.ballast.gateway.Replays;
import dev.ballast.replay.BatchFilter;
import dev.ballast.replay.BatchSummary;
import dev.ballast.replay.Divergence;
import dev.ballast.replay.Overrides;
import dev.ballast.replay.ReplayException;
import dev.ballast.replay.ReplayMode;
import dev.ballast.replay.ReplayOutcome;
import dev.ballast.replay.ReplayReport;
import dev.ballast.replay.Replayer;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ballast replay}: re-executes recorded runs from the journal, one by id or a batch of a
 * pipeline's runs, deterministically (nothing leaves the process) or as a what-if with overrides.
 * Exit 0 when every replay was identical (or every what-if completed), 1 when one diverged or
 * failed, 2 for bad usage, an unknown run or a bad override.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Replay a recorded run from the journal and report the first divergence; with"
            + " --pipeline, replay every matching run of a pipeline. Overrides (--group, --prompt,"
            + " --from-stage) make it a what-if: the overridden calls go live and the result is"
            + " journaled as a new run.")
final class ReplayCommand implements Callable<Integer> {
  @Mixin NodeOptions node = new NodeOptions();

  @Parameters(
      paramLabel = "RUN_ID",
      arity = "0..1",
      description = "the run to replay (prun_... or run_...); omit with --pipeline")
  String runId;

  @Option(
      names = "--group",
      paramLabel = "G",
      description = "what-if: every generate stage (or the gateway call) uses model group G")
  String group;

  @Option(
      names = "--prompt",
      paramLabel = "STAGE=PROMPT",
      description = "what-if: stage STAGE renders configured prompt PROMPT (repeatable)")
  Map<String, String> prompts = new LinkedHashMap<>();

  @Option(
      names = "--from-stage",
      paramLabel = "S",
      description = "what-if: model calls from stage S on go live; earlier stages are replayed")
  String fromStage;

  @Option(names = "--json", description = "print the report (or every report of a batch) as JSON")
  boolean json;

  @Option(
      names = "--pipeline",
      paramLabel = "NAME",
      description = "batch: replay the runs of pipeline NAME, newest first")
  String pipeline;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      converter = Converters.Status.class,
      description = "batch: runs in this journal status: running, succeeded, failed or dead")
  RunStatus status;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description = "batch: runs started since an ISO-8601 instant or a duration ago (1h, 30m)")
  String since;

  @Option(
      names = "--until",
      paramLabel = "INSTANT",
      description = "batch: runs started before this ISO-8601 instant")
  Instant until;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "" + RunQuery.MAX_LIMIT,
      description = "batch: at most this many runs (1-${DEFAULT-VALUE}, default ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--no-progress", description = "batch: no progress bar on stderr")
  boolean noProgress;

  @Spec CommandSpec spec;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    if ((runId == null) == (pipeline == null)) {
      throw usage("give either a RUN_ID or --pipeline NAME");
    }
    if (pipeline == null) {
      rejectBatchOptions();
    }
    Overrides overrides = overrides();
    BatchFilter filter = pipeline == null ? null : filter();
    PrintWriter out = spec.commandLine().getOut();
    BallastConfig config = node.loadReadOnly(out);
    try (Store store = RunsCommand.openExisting(config);
        Replays replays = Replays.open(config, store, clock)) {
      return filter == null
          ? one(replays.replayer(), overrides, out)
          : batch(replays.replayer(), filter, overrides, out);
    } catch (ReplayException e) {
      // An unknown run or an override naming something the configuration lacks: the invocation
      // was wrong, not the run.
      spec.commandLine().getErr().println("ballast: " + e.getMessage());
      return 2;
    }
  }

  private int one(Replayer replayer, Overrides overrides, PrintWriter out) throws Exception {
    ReplayReport report = replayer.replay(runId, overrides);
    if (json) {
      out.println(CliJson.compact(report));
    } else {
      print(out, report);
    }
    return passed(report) ? 0 : 1;
  }

  private int batch(Replayer replayer, BatchFilter filter, Overrides overrides, PrintWriter out)
      throws Exception {
    BatchSummary summary;
    try (ProgressBar bar = progressBar(replayer.select(filter).size())) {
      summary =
          replayer.replayAll(
              filter,
              overrides,
              report -> {
                if (bar != null) {
                  bar.step();
                }
              });
    }
    if (json) {
      out.println(CliJson.compact(summary.reports()));
    } else {
      printTable(out, summary);
    }
    return summary.reports().stream().allMatch(ReplayCommand::passed) ? 0 : 1;
  }

  /**
   * A deterministic replay passes when nothing diverged; a what-if is expected to differ from its
   * recording, so it passes when it ran to a report.
   */
  private static boolean passed(ReplayReport report) {
    if (report.mode() == ReplayMode.WHAT_IF) {
      return report.outcome() != ReplayOutcome.ERROR;
    }
    return report.outcome() == ReplayOutcome.IDENTICAL
        || report.outcome() == ReplayOutcome.UNVERIFIABLE;
  }

  /** Null (no bar) when stderr is not a terminal, so logs and CI output stay clean. */
  private ProgressBar progressBar(int runs) {
    return Terminal.progressBar(!noProgress && !json, "replay " + pipeline, runs, "");
  }

  static void print(PrintWriter out, ReplayReport r) {
    out.printf(
        Locale.ROOT,
        "run %s  %s  %s replay: %s  (%.1f ms)%n",
        r.runId(),
        r.kind(),
        r.mode().wireName().replace('_', '-'),
        r.outcome(),
        r.durationMs());
    if (!r.stages().isEmpty()) {
      out.printf("  %-20s  %-9s  %-16s  %-16s%n", "STAGE", "SOURCE", "RECORDED", "REPLAYED");
      for (ReplayReport.StageResult s : r.stages()) {
        out.printf(
            "  %-20s  %-9s  %-16s  %-16s%n",
            Text.trim(s.stage(), 20),
            s.source(),
            shortHash(s.recordedHash()),
            s.hash() == null ? "failed: " + s.errorClass() : shortHash(s.hash()));
      }
    }
    Divergence d = r.divergence();
    if (d != null) {
      out.println("first divergence:");
      out.println("  stage    " + (d.stage() == null ? "-" : d.stage()));
      out.println("  call     " + (d.call() == null ? "-" : d.call()));
      out.println("  what     " + d.what());
      out.println("  expected " + d.expected());
      out.println("  actual   " + d.actual());
    }
    if (r.newRunId() != null) {
      out.println("new run: " + r.newRunId() + " (ballast runs show " + r.newRunId() + ")");
    }
    if (r.note() != null) {
      out.println("note: " + r.note());
    }
  }

  static void printTable(PrintWriter out, BatchSummary summary) {
    out.printf("%-60s  %6s%n", "OUTCOME", "RUNS");
    summary.table().forEach((row, runs) -> out.printf("%-60s  %6d%n", row, runs));
    out.println(summary.reports().size() + " run(s) replayed");
  }

  /** The first 12 hex digits after the algorithm: enough to tell outputs apart on a terminal. */
  private static String shortHash(String hash) {
    if (hash == null) {
      return "-";
    }
    int colon = hash.indexOf(':');
    String hex = hash.substring(colon + 1);
    return hex.length() <= 12 ? hash : hash.substring(0, colon + 1) + hex.substring(0, 12);
  }

  private Overrides overrides() {
    try {
      return new Overrides(group, prompts, fromStage);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private BatchFilter filter() {
    try {
      return new BatchFilter(pipeline, status, sinceInstant(), until, limit);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private Instant sinceInstant() {
    if (since == null) {
      return null;
    }
    Duration ago = Converters.parseDuration(since);
    if (ago != null) {
      return clock.instant().minus(ago);
    }
    try {
      return Instant.parse(since);
    } catch (DateTimeParseException e) {
      throw usage(
          "--since expects an ISO-8601 instant (2026-11-22T10:00:00Z) or a duration ago (1h,"
              + " 30m), but was '"
              + since
              + "'");
    }
  }

  private void rejectBatchOptions() {
    for (String option : List.of("--status", "--since", "--until", "--limit", "--no-progress")) {
      if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
        throw usage(option + " selects runs for a batch; it needs --pipeline, not a RUN_ID");
      }
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
