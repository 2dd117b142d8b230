package dev.ballast.core.journal;

import java.time.Instant;

/**
 * A filter over runs; null fields do not filter. Results are newest first.
 *
 * @param tenant runs of this tenant only; the HTTP API sets it for every caller but an
 *     administrator
 * @param pipeline pipeline runs of this pipeline only (a gateway call never matches)
 * @param after only runs that sort after this position, i.e. the next page; null for the first
 */
public record RunQuery(
    String tenant,
    String model,
    RunStatus status,
    String errorClass,
    Instant since,
    Instant until,
    int limit,
    String pipeline,
    RunCursor after) {
  public static final int MAX_LIMIT = 1000;

  public RunQuery {
    if (limit <= 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIMIT + ", but was " + limit);
    }
  }

  /** A filter for the first page. */
  public RunQuery(
      String tenant,
      String model,
      RunStatus status,
      String errorClass,
      Instant since,
      Instant until,
      int limit,
      String pipeline) {
    this(tenant, model, status, errorClass, since, until, limit, pipeline, null);
  }

  /** A filter over every kind of run. */
  public RunQuery(
      String tenant,
      String model,
      RunStatus status,
      String errorClass,
      Instant since,
      Instant until,
      int limit) {
    this(tenant, model, status, errorClass, since, until, limit, null);
  }

  /** This filter, narrowed to the runs of one pipeline. */
  public RunQuery withPipeline(String name) {
    return new RunQuery(tenant, model, status, errorClass, since, until, limit, name, after);
  }

  /** This filter's page after {@code cursor}. */
  public RunQuery withAfter(RunCursor cursor) {
    return new RunQuery(tenant, model, status, errorClass, since, until, limit, pipeline, cursor);
  }

  /** This filter with another page size. */
  public RunQuery withLimit(int newLimit) {
    return new RunQuery(tenant, model, status, errorClass, since, until, newLimit, pipeline, after);
  }

  public static RunQuery latest(int limit) {
    return new RunQuery(null, null, null, null, null, null, limit);
  }
}
