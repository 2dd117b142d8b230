package dev.ballast.replay.trace;

import java.util.List;

/**
 * Two runs aligned field by field: first the run (pins, versions), then stage by stage in the order
 * the first run ran them (stages only the second run has follow), each stage's inputs before its
 * outputs, so the first differing row is the earliest point where the runs parted.
 *
 * @param firstDivergence the first row whose values differ, or null when the runs agree on every
 *     compared field
 */
public record RunDiff(String runA, String runB, List<Row> rows, Row firstDivergence) {
  public RunDiff {
    rows = List.copyOf(rows);
  }

  public boolean identical() {
    return firstDivergence == null;
  }

  /**
   * One compared field.
   *
   * @param scope {@code run}, or the stage's name
   * @param field what is compared, e.g. {@code retrieved_chunks}
   * @param a the first run's value (null when it has none)
   * @param b the second run's value
   */
  public record Row(String scope, String field, Object a, Object b, boolean same) {}
}
