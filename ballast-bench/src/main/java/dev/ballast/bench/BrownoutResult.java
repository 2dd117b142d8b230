package dev.ballast.bench;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one gateway configuration did during the brownout: client-side outcomes and the attempts the
 * upstream saw for them.
 *
 * @param config the configuration's name ({@code ballast}, {@code naive})
 * @param requests client requests sent
 * @param answered client requests answered with HTTP 200
 * @param primaryAttempts attempts the browning-out primary received
 * @param fallbackAttempts attempts the healthy fallback received
 * @param statuses client-side status counts; {@link OpenLoopLoad#TIMED_OUT} and {@link
 *     OpenLoopLoad#IO_ERROR} for requests without an HTTP answer, 0 for any still running at the
 *     end
 * @param sortedLatencyNanos the latency of every finished request, errors included, ascending
 * @param maxSendLagNanos how late the load generator sent its most delayed request
 * @param decisions what the chain decided after each failed attempt, as journaled ({@code
 *     failover:fallback}, {@code retry}, {@code gave_up_no_budget_or_route}, ...), counted
 */
record BrownoutResult(
    String config,
    int requests,
    int answered,
    long primaryAttempts,
    long fallbackAttempts,
    Map<Integer, Integer> statuses,
    long[] sortedLatencyNanos,
    long maxSendLagNanos,
    Map<String, Integer> decisions) {

  static BrownoutResult of(
      String config, OpenLoopLoad.Samples samples, long primaryAttempts, long fallbackAttempts) {
    return of(config, samples, primaryAttempts, fallbackAttempts, Map.of());
  }

  static BrownoutResult of(
      String config,
      OpenLoopLoad.Samples samples,
      long primaryAttempts,
      long fallbackAttempts,
      Map<String, Integer> decisions) {
    SortedMap<Integer, Integer> statuses = new TreeMap<>();
    int answered = 0;
    long[] latencies = new long[samples.requests()];
    int finished = 0;
    for (int i = 0; i < samples.requests(); i++) {
      int status = samples.statuses()[i];
      statuses.merge(status, 1, Integer::sum);
      if (status == 200) {
        answered++;
      }
      if (status != 0) {
        latencies[finished++] = samples.latencyNanos()[i];
      }
    }
    long[] sorted = Arrays.copyOf(latencies, finished);
    Arrays.sort(sorted);
    return new BrownoutResult(
        config,
        samples.requests(),
        answered,
        primaryAttempts,
        fallbackAttempts,
        Collections.unmodifiableSortedMap(statuses),
        sorted,
        samples.maxSendLagNanos(),
        Collections.unmodifiableSortedMap(new TreeMap<>(decisions)));
  }

  long attempts() {
    return primaryAttempts + fallbackAttempts;
  }

  /** Upstream attempts per client request: 1.0 means no request cost the upstream extra calls. */
  double attemptsPerRequest() {
    return requests == 0 ? 0 : (double) attempts() / requests;
  }

  double answeredShare() {
    return requests == 0 ? 0 : (double) answered / requests;
  }

  /** The latency at {@code percentile} (0–100) in milliseconds, by the nearest-rank method. */
  double latencyMillis(double percentile) {
    if (sortedLatencyNanos.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(percentile / 100.0 * sortedLatencyNanos.length);
    int index = Math.min(sortedLatencyNanos.length - 1, Math.max(0, rank - 1));
    return sortedLatencyNanos[index] / 1e6;
  }

  double maxLatencyMillis() {
    return latencyMillis(100);
  }
}
