package dev.ballast.client;

import java.time.Duration;
import java.util.Optional;

/**
 * {@link BallastClient#awaitRun} gave up: the run had not reached a terminal state when the timeout
 * passed. The run itself goes on; this only ends the wait.
 */
public class RunTimeoutException extends BallastClientException {
  private final String runId;
  private final Duration timeout;
  private final PipelineRun lastSeen;

  public RunTimeoutException(
      String runId, Duration timeout, PipelineRun lastSeen, Throwable lastError) {
    super(message(runId, timeout, lastSeen, lastError), lastError);
    this.runId = runId;
    this.timeout = timeout;
    this.lastSeen = lastSeen;
  }

  public String runId() {
    return runId;
  }

  /** How long the caller waited. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * The run as last read, empty when no poll succeeded (the gateway was unreachable or answered 5xx
   * the whole time; the cause says how).
   */
  public Optional<PipelineRun> lastSeen() {
    return Optional.ofNullable(lastSeen);
  }

  private static String message(
      String runId, Duration timeout, PipelineRun lastSeen, Throwable lastError) {
    String base = "run " + runId + " did not finish within " + timeout;
    if (lastSeen != null) {
      return base + "; last seen " + lastSeen.state().wireName() + lastSeen.stageSuffix();
    }
    return base + (lastError == null ? "" : "; the last poll failed: " + lastError.getMessage());
  }
}
