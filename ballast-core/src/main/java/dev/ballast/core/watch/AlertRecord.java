package dev.ballast.core.watch;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert as the store keeps it: one row per episode of one signal of one series, the source of
 * truth every node reads. At most one alert per series and signal is open at a time, across nodes.
 *
 * @param id {@code alrt_...}; also the run id its journal events are written under
 * @param kind what happened: {@code model_changed}, {@code fingerprint_changed}, {@code shift_up},
 *     {@code shift_down} (a continuous signal) or {@code rate_up} (a rate signal)
 * @param severity {@code warning} or {@code critical}
 * @param title one line for a person, e.g. {@code latency ×1.8 on deployment:gpt4o}
 * @param onsetAt the detector's estimate of when the change began
 * @param baseline the baseline value in the signal's unit (a median, a rate), null for identity
 * @param current the value since the onset, in the same unit
 * @param samples observations since the onset
 * @param lastGoodRun the last run that looked like the baseline, or null
 * @param firstBadRun the first run after the onset, or null
 * @param details the detector's numbers and, for identity, the values expected and seen
 * @param diff the fields where the last good and the first bad run differ
 * @param seq the sequence number of the alert's latest journal event
 */
public record AlertRecord(
    String id,
    String series,
    String signal,
    String kind,
    AlertState state,
    String severity,
    String title,
    Instant openedAt,
    Instant updatedAt,
    Instant resolvedAt,
    Instant onsetAt,
    Double baseline,
    Double current,
    String unit,
    long samples,
    String lastGoodRun,
    String firstBadRun,
    Map<String, Object> details,
    List<DiffRow> diff,
    int seq) {

  public AlertRecord {
    details = details == null ? Map.of() : Map.copyOf(details);
    diff = diff == null ? List.of() : List.copyOf(diff);
  }

  /** One field where the last good run and the first bad run differ. */
  public record DiffRow(String scope, String field, String good, String bad) {}

  public boolean open() {
    return state == AlertState.OPEN;
  }

  /** This alert with new numbers, as an update or a resolution writes them. */
  public AlertRecord withNumbers(
      String newSeverity,
      String newTitle,
      Double newCurrent,
      long newSamples,
      Map<String, Object> newDetails) {
    return new AlertRecord(
        id,
        series,
        signal,
        kind,
        state,
        newSeverity,
        newTitle,
        openedAt,
        updatedAt,
        resolvedAt,
        onsetAt,
        baseline,
        newCurrent,
        unit,
        newSamples,
        lastGoodRun,
        firstBadRun,
        newDetails,
        diff,
        seq);
  }

  public AlertRecord withDiff(List<DiffRow> newDiff) {
    return new AlertRecord(
        id,
        series,
        signal,
        kind,
        state,
        severity,
        title,
        openedAt,
        updatedAt,
        resolvedAt,
        onsetAt,
        baseline,
        current,
        unit,
        samples,
        lastGoodRun,
        firstBadRun,
        details,
        newDiff,
        seq);
  }
}
