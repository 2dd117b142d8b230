package dev.ballast.core.queue;

import dev.ballast.core.state.StatePins;
import java.time.Instant;
import java.util.List;

/**
 * A worker's exclusive right to advance one run until {@code leaseUntil}. Every write the worker
 * makes carries {@code fence}; a write with a superseded fence is refused.
 *
 * @param fence strictly greater than every fence issued for this run before
 * @param attempts how many times the current stage has been claimed, this claim included
 * @param stageIndex the next stage to execute (0 for a fresh run)
 * @param completed the outputs of stages {@code 0 .. stageIndex-1}, in order
 * @param pins the state versions the run reads, fixed at submission; {@link StatePins#NONE} when it
 *     reads no versioned state
 * @param readyAt when the run had become claimable before this claim (enqueued, retry due, resumed,
 *     or its previous lease expired), so that now minus it is the time the run waited in the queue;
 *     null when the store does not know
 */
public record Lease(
    String runId,
    long fence,
    String workerId,
    Instant leaseUntil,
    int attempts,
    int stageIndex,
    String pipeline,
    String pipelineVersion,
    String tenant,
    byte[] input,
    List<StageOutput> completed,
    StatePins pins,
    Instant readyAt) {

  /** A lease of a run that reads no versioned state, whose queue wait is not known. */
  public Lease(
      String runId,
      long fence,
      String workerId,
      Instant leaseUntil,
      int attempts,
      int stageIndex,
      String pipeline,
      String pipelineVersion,
      String tenant,
      byte[] input,
      List<StageOutput> completed) {
    this(
        runId,
        fence,
        workerId,
        leaseUntil,
        attempts,
        stageIndex,
        pipeline,
        pipelineVersion,
        tenant,
        input,
        completed,
        StatePins.NONE,
        null);
  }

  public Lease {
    pins = pins == null ? StatePins.NONE : pins;
    completed = List.copyOf(completed);
  }
}
