package dev.ballast.core.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * A position in the newest-first run listing: the last run of a page. The next page holds the runs
 * that sort strictly after it in {@code (started_at DESC, id DESC)} order, so a page is found by an
 * index seek whatever its depth (keyset pagination), and runs recorded meanwhile never shift it.
 *
 * @param startedAt the start time of the last run shown, as stored (microseconds)
 * @param id the id of the last run shown, breaking ties between equal start times
 */
public record RunCursor(Instant startedAt, String id) {
  public RunCursor {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(id, "id");
  }

  /** The cursor just after {@code run}. */
  public static RunCursor after(RunSummary run) {
    return new RunCursor(run.startedAt(), run.id());
  }
}
