package dev.ballast.replay;

/**
 * The first point where a replay differed from its recording.
 *
 * @param stage the stage, or null for a gateway call
 * @param call the model call ({@code RUN/STAGE/ATTEMPT} for a pipeline stage's call, the run id for
 *     a gateway call), or null when the difference is not in a call
 * @param what what differed: {@code stage_output}, {@code stages}, {@code request}, {@code
 *     attempts}, {@code output}, {@code error}, {@code external_call}
 */
public record Divergence(String stage, String call, String what, String expected, String actual) {

  /** One line for a terminal: where, what, expected vs actual. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    if (stage != null) {
      b.append("stage ").append(stage).append(": ");
    }
    if (call != null) {
      b.append("call ").append(call).append(": ");
    }
    return b.append(what)
        .append(" expected ")
        .append(expected)
        .append(", actual ")
        .append(actual)
        .toString();
  }
}
