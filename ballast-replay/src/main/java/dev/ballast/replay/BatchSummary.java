package dev.ballast.replay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outcomes of a batch replay, with each run's report. */
public record BatchSummary(List<ReplayReport> reports) {
  public BatchSummary {
    reports = List.copyOf(reports);
  }

  public long count(ReplayOutcome outcome) {
    return reports.stream().filter(r -> r.outcome() == outcome).count();
  }

  /** True when any run diverged (or could not be replayed): a regression check fails. */
  public boolean failed() {
    return count(ReplayOutcome.DIVERGED) > 0 || count(ReplayOutcome.ERROR) > 0;
  }

  /**
   * Rows of the summary table: {@code identical}, {@code diverged at stage X} (or at the output, or
   * in a call), {@code unverifiable}, {@code error}, each with its number of runs.
   */
  public Map<String, Long> table() {
    Map<String, Long> rows = new LinkedHashMap<>();
    for (ReplayReport r : reports) {
      rows.merge(row(r), 1L, Long::sum);
    }
    return rows;
  }

  private static String row(ReplayReport r) {
    if (r.outcome() != ReplayOutcome.DIVERGED) {
      return r.outcome().wireName();
    }
    Divergence d = r.divergence();
    if (d.stage() != null) {
      return "diverged at stage " + d.stage() + " (" + d.what() + ")";
    }
    return "diverged at " + d.what();
  }
}
