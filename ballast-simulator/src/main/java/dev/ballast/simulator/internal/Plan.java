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
 */
public record Plan(
    String model,
    SimulationSpec spec,
    long sequence,
    Duration latency,
    Outcome outcome,
    PlannedFailure failure) {

  /** The kind of answer. */
  public enum Outcome {
    ANSWER,
    FAIL,
    RESET,
    SILENCE
  }

  public static Plan invalid(String model, PlannedFailure failure) {
    return new Plan(model, SimulationSpec.HEALTHY, 0, Duration.ZERO, Outcome.FAIL, failure);
  }

  /** The outcome as recorded in the attempt log. */
  public String logOutcome() {
    return switch (outcome) {
      case FAIL -> failure.logName();
      case RESET -> "reset";
      case SILENCE -> "silence";
      case ANSWER -> spec.cutAfter() >= 0 ? "cut" : spec.stallAfter() >= 0 ? "stall" : "ok";
    };
  }
}
