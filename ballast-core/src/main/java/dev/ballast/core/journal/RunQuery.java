package dev.ballast.core.journal;

import java.time.Instant;

/**
 * A filter over runs; null fields do not filter. Results are newest first.
 *
 * @param tenant runs of this tenant only (the HTTP API always sets it)
 */
public record RunQuery(
    String tenant,
    String model,
    RunStatus status,
    String errorClass,
    Instant since,
    Instant until,
    int limit) {
  public static final int MAX_LIMIT = 1000;

  public RunQuery {
    if (limit <= 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIMIT + ", but was " + limit);
    }
  }

  public static RunQuery latest(int limit) {
    return new RunQuery(null, null, null, null, null, null, limit);
  }
}
