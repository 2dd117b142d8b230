package dev.ballast.core.queue;

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
    List<StageOutput> completed) {

  public Lease {
    completed = List.copyOf(completed);
  }
}
