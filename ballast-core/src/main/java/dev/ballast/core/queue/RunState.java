package dev.ballast.core.queue;

import dev.ballast.core.state.StatePins;
import java.time.Instant;

/**
 * A snapshot of one queued run.
 *
 * @param availableAt when the run is next claimable; for a running run, its lease expiry
 * @param leaseOwner the worker holding the run, null unless running
 * @param waitingOn the dependency a parked run waits for, else null
 * @param failedStage the stage of the run's most recent failure, kept (with {@code error}) for
 *     diagnosis after the run moves on; null if no stage ever failed
 * @param output the final output once succeeded, else null
 * @param pins the state versions the run reads, fixed at submission
 */
public record RunState(
    String runId,
    String pipeline,
    String pipelineVersion,
    String tenant,
    int priority,
    String idempotencyKey,
    QueueState state,
    int stageIndex,
    int attempts,
    long fence,
    String leaseOwner,
    Instant leaseUntil,
    Instant availableAt,
    String waitingOn,
    String failedStage,
    String error,
    byte[] input,
    byte[] output,
    Instant enqueuedAt,
    Instant updatedAt,
    StatePins pins) {
  public RunState {
    pins = pins == null ? StatePins.NONE : pins;
  }
}
