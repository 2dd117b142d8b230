package dev.ballast.core.stats;

import dev.ballast.core.queue.QueueState;
import java.time.Duration;
import java.util.Map;

/**
 * One pipeline's queue at an instant.
 *
 * @param depth runs per state; every state is present, zero when empty
 * @param oldestReadyAge how long its longest-waiting claimable run has been claimable; zero when
 *     none is
 * @param failuresByStage dead and failed runs by the stage they failed at
 * @param succeededRecently runs that began in the recent window and have succeeded
 * @param recentWindow the window {@code succeededRecently} counts over
 */
public record PipelineStats(
    String pipeline,
    Map<QueueState, Long> depth,
    Duration oldestReadyAge,
    Map<String, Long> failuresByStage,
    long succeededRecently,
    Duration recentWindow) {
  public PipelineStats {
    depth = Map.copyOf(depth);
    failuresByStage = Map.copyOf(failuresByStage);
  }

  /** Succeeded runs per second over the recent window. */
  public double succeededPerSecond() {
    return recentWindow.isZero() ? 0 : succeededRecently / (recentWindow.toMillis() / 1000.0);
  }
}
