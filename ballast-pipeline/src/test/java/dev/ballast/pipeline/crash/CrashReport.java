package dev.ballast.pipeline.crash;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ballast.core.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one crash run measured, and every requirement it violated ({@link #problems()}, empty when
 * the run passed). Written as JSON by the soak profile; the test asserts on it.
 */
record CrashReport(
    String backend,
    Environment environment,
    Setup setup,
    Runs runs,
    Effects effects,
    Kills kills,
    Timing timing,
    int workerWarnings,
    List<String> warningSamples,
    List<String> problems) {

  /**
   * Where the run ran: the worker processes, the test process and the database share the machine,
   * so its load (other builds included) moves every time measured here.
   */
  record Environment(int cpus, String jvm, double loadAverageBefore, double loadAverageAfter) {}

  /** The settings the run used. */
  record Setup(
      int runs,
      int kills,
      int workersAtOnce,
      int minAlive,
      int concurrency,
      long leaseMs,
      long heartbeatMs,
      long pollMs,
      long maxStagePauseMs,
      long maxSinkDelayMs,
      long marginMs,
      long seed) {}

  /**
   * @param lost submitted runs the queue does not know
   * @param wrongOutput succeeded runs whose final output is not the one their input implies
   * @param incompleteCheckpoints runs without exactly one checkpoint per stage
   * @param takenOver runs claimed more than once (their fence went past 1): taken over after a kill
   */
  record Runs(
      int submitted,
      int succeeded,
      Map<String, Long> otherStates,
      int lost,
      int wrongOutput,
      int incompleteCheckpoints,
      int takenOver) {}

  /**
   * @param deliveries requests the sink received
   * @param distinctKeys effect keys among them
   * @param appliedOtherThanOnce keys the sink applied zero or several times (must be 0)
   * @param keysRedelivered keys delivered more than once (a worker died between sending and
   *     checkpointing, or a retry)
   * @param redeliveries deliveries beyond the first of each key
   * @param bodiesDiffer keys redelivered with another body than the first
   * @param cutOff requests whose body never fully arrived: the sender was killed mid-request
   * @param ledgerViolations runs whose ledger is not exactly their one webhook key
   */
  record Effects(
      long deliveries,
      int distinctKeys,
      int missingKeys,
      int unexpectedKeys,
      int appliedOtherThanOnce,
      int keysRedelivered,
      long redeliveries,
      int bodiesDiffer,
      long withoutKey,
      long cutOff,
      int ledgerRows,
      int ledgerViolations) {}

  /**
   * @param sent SIGKILLs sent
   * @param notSigkill killed processes whose exit status was not 137 (128 + SIGKILL)
   * @param unexpectedExits worker processes that ended without being killed
   * @param runsHeldAtKill runs held by a worker at the moment it was killed (summed over kills)
   * @param meanStartupMs from starting a worker process to its engine running
   * @param sharedClassArchive whether the workers started from a class archive (AppCDS)
   */
  record Kills(
      int sent,
      int notSigkill,
      int workersStarted,
      int unexpectedExits,
      int runsHeldAtKill,
      double meanUptimeSeconds,
      long meanStartupMs,
      long maxStartupMs,
      boolean sharedClassArchive) {}

  /**
   * @param stuckAfterKillMaxMs the longest a run held by a killed worker waited from the kill to
   *     being taken over: its claim, checkpoint or completion under another lease
   * @param lastKillToLastCompletionMs from the last kill to the last run's completion
   * @param maxPauseBetweenStagesMs the longest gap between two consecutive checkpoints (or the last
   *     checkpoint and the completion) of any run
   * @param longestPause that pause: the run, the stages and leases (fences) on either side
   */
  record Timing(
      boolean settled,
      long totalMs,
      double runsPerSecond,
      long lastKillToLastCompletionMs,
      long stuckAfterKillMaxMs,
      long stuckAfterKillMedianMs,
      int stuckRunsMeasured,
      long maxPauseBetweenStagesMs,
      String longestPause) {}

  String toJson() {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A section of the results file: each requirement with its measure and verdict. */
  String toMarkdown() {
    long bound = setup.leaseMs() + setup.marginMs();
    String within = "≤ lease + margin = " + bound + " ms";
    StringBuilder md = new StringBuilder();
    md.append("## ").append(backend).append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%d runs of the 5-stage pipeline, %d SIGKILLs; %d worker processes at once (a kill"
                + " waits until at least %d are ready), %d slots each, lease %d ms, heartbeat %d"
                + " ms, poll %d ms; java stages pause up to %d ms, the sink answers after up to %d"
                + " ms; seed %d.%n%n",
            setup.runs(),
            setup.kills(),
            setup.workersAtOnce(),
            setup.minAlive() + 1,
            setup.concurrency(),
            setup.leaseMs(),
            setup.heartbeatMs(),
            setup.pollMs(),
            setup.maxStagePauseMs(),
            setup.maxSinkDelayMs(),
            setup.seed()));
    md.append("| measure | value | requirement | verdict |\n|---|---:|---|---|\n");
    row(
        md,
        "runs succeeded / submitted",
        runs.succeeded() + " / " + runs.submitted(),
        "every run completes",
        runs.succeeded() == runs.submitted());
    row(md, "runs lost", runs.lost(), "none", runs.lost() == 0);
    row(md, "runs with a wrong final output", runs.wrongOutput(), "none", runs.wrongOutput() == 0);
    row(
        md,
        "SIGKILLs sent (exit status 137)",
        kills.sent() + " (" + (kills.sent() - kills.notSigkill()) + ")",
        "≥ " + setup.kills(),
        kills.sent() >= setup.kills() && kills.notSigkill() == 0);
    row(
        md,
        "runs held by a worker when it was killed",
        kills.runsHeldAtKill(),
        "> 0",
        kills.runsHeldAtKill() > 0);
    row(md, "runs claimed more than once", runs.takenOver(), "measured", null);
    row(
        md,
        "distinct effect keys at the sink",
        effects.distinctKeys(),
        "one per run",
        effects.distinctKeys() == runs.submitted()
            && effects.missingKeys() == 0
            && effects.unexpectedKeys() == 0);
    row(
        md,
        "keys applied by the sink other than once",
        effects.appliedOtherThanOnce(),
        "none",
        effects.appliedOtherThanOnce() == 0);
    row(
        md,
        "effects ledger rows",
        effects.ledgerRows(),
        "one per run",
        effects.ledgerViolations() == 0 && effects.ledgerRows() == runs.submitted());
    row(
        md,
        "webhook deliveries (requests cut off by a kill)",
        effects.deliveries() + " (" + effects.cutOff() + ")",
        "measured",
        null);
    row(
        md,
        "redeliveries (same key again)",
        effects.redeliveries() + " (" + effects.keysRedelivered() + " keys)",
        "measured; same body every time",
        effects.bodiesDiffer() == 0);
    row(
        md,
        "longest wait of a killed worker's run until another worker took it over",
        timing.stuckAfterKillMaxMs()
            + " ms (median "
            + timing.stuckAfterKillMedianMs()
            + " ms, "
            + timing.stuckRunsMeasured()
            + " runs)",
        within,
        timing.stuckAfterKillMaxMs() <= bound);
    row(
        md,
        "last kill → last run completed",
        timing.lastKillToLastCompletionMs() + " ms",
        within,
        timing.lastKillToLastCompletionMs() <= bound);
    row(
        md,
        "longest pause between two stages of a run",
        timing.maxPauseBetweenStagesMs() + " ms (" + timing.longestPause() + ")",
        "measured",
        null);
    row(
        md,
        "total time (first submission → last completion)",
        String.format(
            Locale.ROOT, "%.1f s, %.1f runs/s", timing.totalMs() / 1000.0, timing.runsPerSecond()),
        "measured",
        null);
    row(
        md,
        "worker start-up mean / max",
        kills.meanStartupMs()
            + " / "
            + kills.maxStartupMs()
            + " ms"
            + (kills.sharedClassArchive() ? " (class archive)" : ""),
        "measured",
        null);
    row(md, "warnings logged by workers", workerWarnings, "measured", null);
    md.append('\n');
    md.append(
        String.format(
            Locale.ROOT,
            "Machine: %d CPUs; %s; load average %.2f before, %.2f after.%n",
            environment.cpus(),
            environment.jvm(),
            environment.loadAverageBefore(),
            environment.loadAverageAfter()));
    if (!warningSamples.isEmpty()) {
      md.append("\nWorker warnings (one of each kind):\n\n");
      warningSamples.forEach(w -> md.append("    ").append(w).append('\n'));
    }
    if (!problems.isEmpty()) {
      md.append("\nProblems:\n\n");
      problems.forEach(p -> md.append("- ").append(p.replace("\n", " ")).append('\n'));
    }
    return md.toString();
  }

  private static void row(StringBuilder md, String measure, Object value, String req, Boolean ok) {
    md.append("| ")
        .append(measure)
        .append(" | ")
        .append(value)
        .append(" | ")
        .append(req)
        .append(" | ")
        .append(ok == null ? "" : ok ? "met" : "**not met**")
        .append(" |\n");
  }

  /** One line for a log: the numbers a reader looks for first. */
  String summary() {
    return String.format(
        Locale.ROOT,
        "%s: %d/%d runs succeeded, %d kills (%d runs held at kill, %d taken over), %d sink"
            + " deliveries for %d keys (%d redeliveries, %d keys applied other than once),"
            + " stuck after kill max %d ms (median %d ms, %d runs), last kill -> last completion"
            + " %d ms, max pause between stages %d ms, %.1f s total, %.1f runs/s, %d worker"
            + " warnings, %d problems",
        backend,
        runs.succeeded(),
        runs.submitted(),
        kills.sent(),
        kills.runsHeldAtKill(),
        runs.takenOver(),
        effects.deliveries(),
        effects.distinctKeys(),
        effects.redeliveries(),
        effects.appliedOtherThanOnce(),
        timing.stuckAfterKillMaxMs(),
        timing.stuckAfterKillMedianMs(),
        timing.stuckRunsMeasured(),
        timing.lastKillToLastCompletionMs(),
        timing.maxPauseBetweenStagesMs(),
        timing.totalMs() / 1000.0,
        timing.runsPerSecond(),
        workerWarnings,
        problems.size());
  }
}
