package dev.ballast.telemetry.internal;

/**
 * A gateway run made by a pipeline stage, whose run id is {@code pipelineRunId/stage/attempt@fence}
 * ({@code StageContext.callId}), or {@code pipelineRunId/stage/attempt} in journals written before
 * call ids named their lease and for the live calls of a what-if replay.
 *
 * @param fence the lease the call was made under; null when the run id does not say
 */
public record NestedCall(String pipelineRunId, String stage, int attempt, Long fence) {

  /** The call a run id names, or null for a run id of another shape. */
  public static NestedCall parse(String runId) {
    int first = runId.indexOf('/');
    int last = runId.lastIndexOf('/');
    if (first <= 0 || last <= first + 1 || last == runId.length() - 1) {
      return null;
    }
    String tail = runId.substring(last + 1);
    int at = tail.indexOf('@');
    try {
      int attempt = Integer.parseInt(at < 0 ? tail : tail.substring(0, at));
      Long fence = at < 0 ? null : Long.parseLong(tail.substring(at + 1));
      return new NestedCall(
          runId.substring(0, first), runId.substring(first + 1, last), attempt, fence);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The key under which the stage attempt's fence is remembered. */
  public static String stageKey(String stage, int attempt) {
    return stage + "/" + attempt;
  }
}
