package dev.ballast.core.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * How a stage failed and where the run goes next: {@code waiting} until {@code retryAt}, {@code
 * dead} (attempts exhausted; an operator may resume it) or {@code failed} (non-retryable; final).
 */
public record StageFailure(String stage, String error, QueueState next, Instant retryAt) {

  public StageFailure {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(error, "error");
    switch (next) {
      case WAITING -> Objects.requireNonNull(retryAt, "retryAt is required to retry");
      case DEAD, FAILED -> {
        if (retryAt != null) {
          throw new IllegalArgumentException("retryAt must be null for " + next.wireName());
        }
      }
      default ->
          throw new IllegalArgumentException(
              "a failed stage moves its run to waiting, dead or failed, but was "
                  + next.wireName());
    }
  }

  public static StageFailure retryAt(String stage, String error, Instant retryAt) {
    return new StageFailure(stage, error, QueueState.WAITING, retryAt);
  }

  public static StageFailure dead(String stage, String error) {
    return new StageFailure(stage, error, QueueState.DEAD, null);
  }

  public static StageFailure failed(String stage, String error) {
    return new StageFailure(stage, error, QueueState.FAILED, null);
  }
}
