package dev.ballast.core.queue;

import dev.ballast.core.BallastException;

/**
 * A tenant already has as many pipeline runs queued or waiting as its quota allows ({@code
 * tenants.NAME.limits.max_queued_runs}); the run was not enqueued.
 */
public final class QueueQuotaExceededException extends BallastException {
  private final String tenant;
  private final int maxQueuedRuns;

  public QueueQuotaExceededException(String tenant, int maxQueuedRuns) {
    super(
        "Tenant '"
            + tenant
            + "' already has "
            + maxQueuedRuns
            + " pipeline runs queued or waiting (tenants."
            + tenant
            + ".limits.max_queued_runs); submit again when some have started.");
    this.tenant = tenant;
    this.maxQueuedRuns = maxQueuedRuns;
  }

  public String tenant() {
    return tenant;
  }

  public int maxQueuedRuns() {
    return maxQueuedRuns;
  }
}
