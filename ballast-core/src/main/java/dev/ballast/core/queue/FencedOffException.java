package dev.ballast.core.queue;

import dev.ballast.core.BallastException;

/**
 * A worker tried to write to a run it no longer holds: another worker claimed it (a higher fence),
 * its lease expired, or the run already left {@code running}. Nothing was written. The worker must
 * stop working on the run; it is not an error of the run itself.
 */
public class FencedOffException extends BallastException {
  private final String runId;
  private final long fence;
  private final String operation;

  public FencedOffException(String runId, long fence, String operation, String reason) {
    super(operation + " of run " + runId + " with fence " + fence + " refused: " + reason);
    this.runId = runId;
    this.fence = fence;
    this.operation = operation;
  }

  public String runId() {
    return runId;
  }

  /** The fencing token the refused write carried. */
  public long fence() {
    return fence;
  }

  /**
   * What was refused: {@code checkpoint}, {@code complete}, {@code fail}, {@code park} or {@code
   * recordEffect}.
   */
  public String operation() {
    return operation;
  }
}
