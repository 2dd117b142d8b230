package dev.ballast.watch.internal;

import java.util.Locale;
import java.util.Map;

/**
 * A watched signal: its name, whether it is a continuous value (watched on a log scale, against a
 * median) or a rate (a 0-or-1 per observation, against a baseline proportion), which direction of
 * change is a degradation, and its unit.
 */
record SignalSpec(
    String name, boolean continuous, Direction direction, String unit, boolean plusOne) {

  /** Which shifts of a continuous signal the detector alarms on. */
  enum Direction {
    UP,
    DOWN,
    BOTH;

    boolean up() {
      return this != DOWN;
    }

    boolean down() {
      return this != UP;
    }
  }

  static final String FAILURE_RATE = "failure_rate";
  static final String ERROR_RATE_PREFIX = "error_rate.";
  static final String MODEL = "model";
  static final String FINGERPRINT = "fingerprint";

  /** Whether {@code signal} is an identity (a value, not a statistic). */
  static boolean identity(String signal) {
    return MODEL.equals(signal) || FINGERPRINT.equals(signal);
  }

  private static final Map<String, SignalSpec> CONTINUOUS =
      Map.of(
          "latency", new SignalSpec("latency", true, Direction.UP, "ms", false),
          "ttft", new SignalSpec("ttft", true, Direction.UP, "ms", false),
          "tokens_per_second",
              new SignalSpec("tokens_per_second", true, Direction.DOWN, "tokens/s", false),
          "input_tokens", new SignalSpec("input_tokens", true, Direction.BOTH, "tokens", true),
          "output_tokens", new SignalSpec("output_tokens", true, Direction.BOTH, "tokens", true),
          "cost", new SignalSpec("cost", true, Direction.UP, "USD", false),
          "top_score", new SignalSpec("top_score", true, Direction.DOWN, "score", false),
          "hits", new SignalSpec("hits", true, Direction.DOWN, "chunks", true),
          "context_cut_items",
              new SignalSpec("context_cut_items", true, Direction.UP, "items", true),
          "similarity", new SignalSpec("similarity", true, Direction.DOWN, "cosine", false));

  /** The spec of {@code name}: a continuous signal, or else a rate. */
  static SignalSpec of(String name) {
    SignalSpec spec = CONTINUOUS.get(name);
    return spec != null ? spec : new SignalSpec(name, false, Direction.UP, "rate", false);
  }

  static String errorRate(String errorClass) {
    return ERROR_RATE_PREFIX + errorClass.toLowerCase(Locale.ROOT);
  }

  /** The value on the watched scale: the logarithm (of one more, for counts that may be 0). */
  double toLog(double raw) {
    return plusOne ? Math.log1p(Math.max(0, raw)) : Math.log(Math.max(raw, 1e-9));
  }

  double fromLog(double log) {
    return plusOne ? Math.expm1(log) : Math.exp(log);
  }
}
