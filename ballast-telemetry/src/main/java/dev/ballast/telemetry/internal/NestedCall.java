package dev.ballast.telemetry.internal;

/** A gateway run made by a pipeline stage, whose run id is {@code pipelineRunId/stage/attempt}. */
public record NestedCall(String pipelineRunId, String stage, int attempt) {

  /** The call a run id names, or null for a run id of another shape. */
  public static NestedCall parse(String runId) {
    int first = runId.indexOf('/');
    int last = runId.lastIndexOf('/');
    if (first <= 0 || last <= first + 1 || last == runId.length() - 1) {
      return null;
    }
    try {
      int attempt = Integer.parseInt(runId.substring(last + 1));
      return new NestedCall(runId.substring(0, first), runId.substring(first + 1, last), attempt);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The key under which the stage attempt's fence is remembered. */
  public static String stageKey(String stage, int attempt) {
    return stage + "/" + attempt;
  }
}
