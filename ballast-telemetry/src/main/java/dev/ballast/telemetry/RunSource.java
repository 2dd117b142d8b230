package dev.ballast.telemetry;

import dev.ballast.core.journal.JournalEntry;
import java.util.List;
import java.util.Optional;

/**
 * What telemetry reads from the store about runs other nodes took part in. Several nodes write the
 * journal of one pipeline run (the node that accepted it writes its {@code RunStarted}, workers its
 * stages, an operator's node its {@code RunResumed}), so a node's own listener sees only part of
 * it: the tracer reads the whole journal when this node ends a segment, and the metrics ask which
 * pipeline a run it never saw start belongs to.
 *
 * <p>Implementations must be thread-safe; they may block (they query the store) and may throw when
 * the store is unreachable, which the callers count and retry or label as unknown.
 */
public interface RunSource {

  /** The run's stored journal, in sequence order; empty for an unknown run. */
  List<JournalEntry> events(String runId);

  /** The pipeline and tenant of a queued pipeline run, or empty when the store does not know it. */
  Optional<QueuedRun> queuedRun(String runId);

  /** A queued pipeline run as the run queue recorded it at submission. */
  record QueuedRun(String pipeline, String tenant) {}
}
