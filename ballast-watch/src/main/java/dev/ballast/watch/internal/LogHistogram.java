package dev.ballast.watch.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * A sparse histogram of log-scale values in buckets {@value #WIDTH} wide (about 5 % apart on the
 * original scale), from which a robust baseline (median and median absolute deviation) is read.
 * Histograms of several minutes and nodes merge by adding counts, so the cluster's baseline is the
 * same wherever it is computed. Not thread-safe.
 */
final class LogHistogram {
  static final double WIDTH = 0.05;

  private final TreeMap<Integer, Long> buckets = new TreeMap<>();
  private long count;

  void add(double value) {
    add((int) Math.floor(value / WIDTH), 1);
  }

  void addAll(LogHistogram other) {
    other.buckets.forEach(this::add);
  }

  private void add(int bucket, long n) {
    buckets.merge(bucket, n, Long::sum);
    count += n;
  }

  long count() {
    return count;
  }

  /** {@code bucket:count,...}, in bucket order; empty for an empty histogram. */
  String encode() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
      if (!out.isEmpty()) {
        out.append(',');
      }
      out.append(e.getKey()).append(':').append(e.getValue());
    }
    return out.toString();
  }

  /** Reads {@link #encode}'s text; a malformed pair is skipped (another version wrote it). */
  static LogHistogram parse(String text) {
    LogHistogram h = new LogHistogram();
    if (text == null || text.isEmpty()) {
      return h;
    }
    for (String pair : text.split(",")) {
      int colon = pair.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      try {
        h.add(
            Integer.parseInt(pair.substring(0, colon)), Long.parseLong(pair.substring(colon + 1)));
      } catch (NumberFormatException e) {
        // Skipped: one bad pair must not cost the whole minute.
      }
    }
    return h;
  }

  /** The median, at the centre of its bucket; NaN when empty. */
  double median() {
    if (count == 0) {
      return Double.NaN;
    }
    long half = (count + 1) / 2;
    long seen = 0;
    for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
      seen += e.getValue();
      if (seen >= half) {
        return centre(e.getKey());
      }
    }
    return centre(buckets.lastKey());
  }

  /** The median of the distances of the bucket centres from {@code median}, weighted by counts. */
  double mad(double median) {
    if (count == 0) {
      return Double.NaN;
    }
    TreeMap<Double, Long> deviations = new TreeMap<>();
    buckets.forEach((b, n) -> deviations.merge(Math.abs(centre(b) - median), n, Long::sum));
    long half = (count + 1) / 2;
    long seen = 0;
    for (Map.Entry<Double, Long> e : deviations.entrySet()) {
      seen += e.getValue();
      if (seen >= half) {
        return e.getKey();
      }
    }
    return deviations.lastKey();
  }

  private static double centre(int bucket) {
    return (bucket + 0.5) * WIDTH;
  }
}
