package dev.ballast.watch.internal;

/**
 * What a detector compares against, read from the settled minutes of the trailing window.
 *
 * @param samples observations behind it; a detector stays in warm-up below its minimum
 * @param centre the median of the log values (continuous) or the event count (rate)
 * @param scale the robust standard deviation, 1.4826 × MAD, of the log values; 0 for a rate
 */
record Baseline(long samples, double centre, double scale) {
  static final Baseline EMPTY = new Baseline(0, Double.NaN, Double.NaN);

  /** MAD × 1.4826 estimates the standard deviation of normal data, robust to outliers. */
  static final double MAD_TO_SIGMA = 1.4826;

  /**
   * The smallest scale used, in log units (about 10 %): counts that barely vary (a simulator's
   * fixed answer length) would otherwise make one token's difference look like a landslide.
   */
  static final double MIN_SCALE = 0.1;

  static Baseline continuous(LogHistogram h) {
    if (h.count() == 0) {
      return EMPTY;
    }
    double median = h.median();
    double scale = Math.max(MIN_SCALE, MAD_TO_SIGMA * h.mad(median));
    return new Baseline(h.count(), median, scale);
  }

  static Baseline rate(long samples, double events) {
    return new Baseline(samples, events, 0);
  }
}
