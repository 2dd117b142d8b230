package dev.ballast.watch;

import dev.ballast.core.watch.AlertRecord.DiffRow;
import java.util.List;

/**
 * Explains an alert by the fields where its last good run and its first bad run differ, e.g. with
 * the engine of {@code ballast diff}. Called on Watch's ticker thread, after both runs are in the
 * store; it may read the store. Implementations are thread-safe.
 */
@FunctionalInterface
public interface RunDiffer {
  /** No diffs: alerts name their runs without comparing them. */
  RunDiffer NONE = (good, bad) -> List.of();

  /** The differing fields; empty when the runs agree or either is unknown. */
  List<DiffRow> diff(String goodRun, String badRun);
}
