package dev.ballast.replay;

import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunStatus;
import java.time.Instant;

/**
 * Which runs a batch replays: the run listing's filter ({@link RunQuery}) plus a pipeline name.
 *
 * @param pipeline runs of this pipeline only; null for every pipeline run and gateway call
 * @param limit at most this many runs, newest first (1 to {@link RunQuery#MAX_LIMIT})
 */
public record BatchFilter(
    String pipeline, RunStatus status, Instant since, Instant until, int limit) {
  public BatchFilter {
    if (limit <= 0 || limit > RunQuery.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + RunQuery.MAX_LIMIT + ", but was " + limit);
    }
    if (since != null && until != null && until.isBefore(since)) {
      throw new IllegalArgumentException("until " + until + " is before since " + since);
    }
  }

  RunQuery query() {
    return new RunQuery(null, null, status, null, since, until, RunQuery.MAX_LIMIT, pipeline);
  }
}
