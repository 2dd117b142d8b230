package dev.ballast.cli;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.RunState;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Pipeline runs for terminals: the queue's view of a run, with its stages from the journal. */
final class PipelineRunText {
  private static final int DOCUMENT_WIDTH = 200;

  private PipelineRunText() {}

  static void list(PrintWriter out, List<RunState> runs, Definitions definitions) {
    out.printf(
        "%-27s  %-19s  %-9s  %-16s  %-12s  %-16s  %8s  %-12s  %s%n",
        "RUN", "ENQUEUED", "STATE", "PIPELINE", "VERSION", "STAGE", "ATTEMPTS", "TENANT", "DETAIL");
    for (RunState r : runs) {
      out.printf(
          Locale.ROOT,
          "%-27s  %-19s  %-9s  %-16s  %-12s  %-16s  %8d  %-12s  %s%n",
          r.runId(),
          Text.time(r.enqueuedAt()),
          r.state().wireName(),
          Text.trim(r.pipeline(), 16),
          r.pipelineVersion(),
          Text.trim(stage(r, definitions.of(r)), 16),
          r.attempts(),
          Text.trim(r.tenant(), 12),
          Text.trim(detail(r), 60));
    }
    out.println(runs.size() + " run(s)");
  }

  /** The run's state, where it is, what went wrong, its stages and its journal. */
  static void show(
      PrintWriter out, RunState run, List<JournalEntry> journal, Definitions definitions) {
    Optional<PipelineDefinition> definition = definitions.of(run);
    out.printf(
        Locale.ROOT,
        "pipeline run %s  %s@%s  tenant=%s  state=%s  priority=%d%n",
        run.runId(),
        run.pipeline(),
        run.pipelineVersion(),
        run.tenant(),
        run.state().wireName(),
        run.priority());
    out.printf("  enqueued %s  updated %s%n", run.enqueuedAt(), run.updatedAt());
    if (run.state() != QueueState.SUCCEEDED) {
      out.printf(
          Locale.ROOT, "  at stage %s, attempt %d%n", stage(run, definition), run.attempts());
    }
    String detail = detail(run);
    if (!detail.isEmpty()) {
      out.println("  " + detail);
    }
    out.println("  input:  " + Text.document(run.input(), DOCUMENT_WIDTH));
    out.println("  output: " + Text.document(run.output(), DOCUMENT_WIDTH));
    if (run.state() == QueueState.DEAD) {
      out.println("  resume it with: ballast runs resume " + run.runId());
    }
    out.println("stages (from the journal):");
    StageTable.print(out, StageTable.fold(journal, definition.orElse(null)));
  }

  /** {@code 1 notify} when the run's definition is known here, else the index alone. */
  private static String stage(RunState run, Optional<PipelineDefinition> definition) {
    if (run.state() == QueueState.SUCCEEDED) {
      return "done";
    }
    return definition
        .filter(d -> run.stageIndex() < d.stages().size())
        .map(d -> run.stageIndex() + " " + d.stage(run.stageIndex()).name())
        .orElse(String.valueOf(run.stageIndex()));
  }

  /** What an operator wants to know next about a run in its state. */
  private static String detail(RunState r) {
    return switch (r.state()) {
      case DEAD, FAILED -> failure(r);
      case WAITING ->
          r.waitingOn() != null
              ? "parked on " + r.waitingOn() + " until " + r.availableAt()
              : "retry at " + r.availableAt() + (r.error() == null ? "" : " after " + failure(r));
      case RUNNING -> "held by " + r.leaseOwner() + " until " + r.leaseUntil();
      default -> "";
    };
  }

  private static String failure(RunState r) {
    if (r.failedStage() == null) {
      return r.error() == null ? "" : r.error();
    }
    return "failed at " + r.failedStage() + ": " + r.error();
  }
}
