package dev.ballast.replay;

import java.util.List;

/**
 * The result of replaying one run.
 *
 * @param kind {@code pipeline} or {@code gateway}
 * @param divergence the first divergence, or null
 * @param stages each executed stage with its recorded and replayed output hashes (pipeline runs)
 * @param newRunId the run a what-if replay wrote to the journal, linked by {@code ReplayOf}; null
 *     for a deterministic replay
 * @param note why a replay is unverifiable or failed, or what it could not compare; null if none
 */
public record ReplayReport(
    String runId,
    String kind,
    ReplayMode mode,
    ReplayOutcome outcome,
    Divergence divergence,
    List<StageResult> stages,
    String recordedOutputHash,
    String outputHash,
    String newRunId,
    double durationMs,
    String note) {
  public ReplayReport {
    stages = stages == null ? List.of() : List.copyOf(stages);
  }

  /**
   * One stage of a replayed pipeline run.
   *
   * @param recordedHash the journaled output's hash, or null (capture off, or not recorded)
   * @param hash the replayed output's hash, or null when the stage failed
   * @param source {@code replayed} (handler run on recorded inputs), {@code recorded} (an external
   *     result fed back whole) or {@code live} (a what-if call)
   */
  public record StageResult(
      String stage, String recordedHash, String hash, String errorClass, String source) {}

  public static ReplayReport error(String runId, String kind, ReplayMode mode, String note) {
    return new ReplayReport(
        runId, kind, mode, ReplayOutcome.ERROR, null, List.of(), null, null, null, 0, note);
  }
}
