package dev.ballast.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A pipeline run as the gateway reports it. Fields the gateway did not send are null (or 0, or
 * empty), so a newer gateway with more fields, or an older one with fewer, still reads.
 *
 * @param version the pipeline version the run executes, fixed at submission
 * @param stageIndex the next stage to execute (the number of checkpointed stages)
 * @param currentStage the name of that stage, null once the run is past its last stage
 * @param attempts attempts of the current stage
 * @param waitingOn the dependency a parked run waits for, else null
 * @param failedStage the stage of the most recent failure, kept after the run moves on
 * @param error the most recent failure's message
 * @param output the final output once succeeded, else null
 * @param leaseOwner the worker executing the run, null unless running
 * @param replayed true when a submission's idempotency key already named this run, which was
 *     returned instead of a new one; false for every read
 */
public record PipelineRun(
    String id,
    String pipeline,
    String version,
    String tenant,
    State state,
    int priority,
    int stageIndex,
    String currentStage,
    int attempts,
    String waitingOn,
    String failedStage,
    String error,
    JsonNode input,
    JsonNode output,
    Instant enqueuedAt,
    Instant updatedAt,
    String leaseOwner,
    List<Stage> stages,
    boolean replayed) {

  public PipelineRun {
    stages = stages == null ? List.of() : List.copyOf(stages);
  }

  /** True when the run will not change any more without an operator: succeeded, failed or dead. */
  public boolean terminal() {
    return state.terminal();
  }

  public boolean succeeded() {
    return state == State.SUCCEEDED;
  }

  /**
   * The lifecycle of a run; {@code dead} runs may be resumed, the other terminal states are final.
   */
  public enum State {
    QUEUED,
    RUNNING,
    WAITING,
    SUCCEEDED,
    FAILED,
    DEAD,
    /** A state this client does not know, from a newer gateway. */
    UNKNOWN;

    public boolean terminal() {
      return this == SUCCEEDED || this == FAILED || this == DEAD;
    }

    /** The name on the wire, e.g. {@code queued}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; {@link #UNKNOWN} for anything else, including null. */
    public static State parse(String wireName) {
      for (State state : values()) {
        if (state.wireName().equals(wireName)) {
          return state;
        }
      }
      return UNKNOWN;
    }
  }

  /**
   * One stage of the run.
   *
   * @param type e.g. {@code generate}; null when the gateway does not know the run's version
   * @param state {@code pending}, {@code running}, {@code completed} or {@code failed}, as the
   *     gateway names it
   * @param attempts attempts started, across every lease and resume
   * @param output the checkpointed output, null until the stage completed (or when the tenant's
   *     capture is off)
   * @param error the message of the stage's most recent failure while it has not completed
   * @param errorClass that failure's class, e.g. {@code timeout} or {@code http_503}
   */
  public record Stage(
      String name,
      int index,
      String type,
      String state,
      int attempts,
      JsonNode output,
      String error,
      String errorClass) {}

  /** {@code " at stage 2 (notify)"}, or empty when the run names no current stage. */
  String stageSuffix() {
    return currentStage == null ? "" : " at stage " + stageIndex + " (" + currentStage + ")";
  }
}
