package dev.ballast.simulator.internal;

import dev.ballast.simulator.SimulationSpec;
import java.time.Duration;

/**
 * What the simulator does with one request, decided up front so that the HTTP server and the
 * in-process provider behave identically.
 *
 * @param sequence the 1-based number of this request for its model since the last reset
 * @param latency the delay before anything is sent
 * @param failure the failure to answer with when {@code outcome} is {@link Outcome#FAIL}
 * @param spec the behaviour for this request: its phase's, with the admin switch on top and the
 *     format drifts removed when the drift rate spared it
 * @param refused the answer is a refusal ({@code refusal=R} drew it)
 * @param offTopic the answer is off-topic canned text ({@code quality_drop=R} drew it)
 */
public record Plan(
    String model,
    SimulationSpec spec,
    long sequence,
    Duration latency,
    Outcome outcome,
    PlannedFailure failure,
    boolean refused,
    boolean offTopic) {

  /** The kind of answer. */
  public enum Outcome {
    ANSWER,
    FAIL,
    RESET,
    SILENCE
  }

  public static Plan invalid(String model, PlannedFailure failure) {
    return new Plan(
        model, SimulationSpec.HEALTHY, 0, Duration.ZERO, Outcome.FAIL, failure, false, false);
  }

  /** The outcome as recorded in the attempt log. */
  public String logOutcome() {
    return switch (outcome) {
      case FAIL -> failure.logName();
      case RESET -> "reset";
      case SILENCE -> "silence";
      case ANSWER -> answerOutcome();
    };
  }

  private String answerOutcome() {
    if (spec.cutAfter() >= 0) {
      return "cut";
    } else if (spec.stallAfter() >= 0) {
      return "stall";
    }
    return refused ? "refusal" : offTopic ? "off_topic" : "ok";
  }
}
