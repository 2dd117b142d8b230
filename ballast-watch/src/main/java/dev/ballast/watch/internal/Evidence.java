package dev.ballast.watch.internal;

import java.time.Instant;
import java.util.Map;

/**
 * What a detector has to say about a change: the numbers an alert shows and the runs on either side
 * of the estimated onset.
 *
 * @param kind {@code shift_up}, {@code shift_down}, {@code rate_up}, {@code model_changed} or
 *     {@code fingerprint_changed}
 * @param baseline in {@code unit}; null for identity
 * @param current the value since the onset, in {@code unit}; null for identity
 * @param samples observations since the onset
 * @param details the detector's statistic and threshold, or the identities expected and seen
 */
record Evidence(
    String kind,
    String severity,
    String title,
    Double baseline,
    Double current,
    String unit,
    long samples,
    Instant onsetAt,
    String lastGoodRun,
    String firstBadRun,
    Map<String, Object> details) {

  static final String WARNING = "warning";
  static final String CRITICAL = "critical";
}
