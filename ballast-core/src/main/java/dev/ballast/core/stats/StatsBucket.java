package dev.ballast.core.stats;

import java.util.Map;

/**
 * One series in one bucket of a {@link StatsQuery}.
 *
 * @param index the bucket's index in the window, from 0
 * @param series the model group or deployment
 * @param requests runs (per group) or provider attempts (per deployment) that began in the bucket
 * @param outcomes how they ended: {@code ok}, an error class such as {@code timeout}, or {@code
 *     running} for a run that has not ended; the counts add up to {@code requests}
 * @param latencyP50Ms median latency of the ended ones, null when none ended
 * @param latencyP99Ms 99th percentile latency, null when none ended
 * @param ttftP50Ms median time to first token of streamed answers, null when none streamed
 * @param ttftP99Ms 99th percentile time to first token, null when none streamed
 * @param cost USD
 */
public record StatsBucket(
    int index,
    String series,
    long requests,
    Map<String, Long> outcomes,
    Double latencyP50Ms,
    Double latencyP99Ms,
    Double ttftP50Ms,
    Double ttftP99Ms,
    long inputTokens,
    long outputTokens,
    double cost) {
  public StatsBucket {
    outcomes = Map.copyOf(outcomes);
  }

  /** The outcome that counts a success. */
  public static final String OK = "ok";

  /** The outcome of a run that has not ended. */
  public static final String RUNNING = "running";
}
