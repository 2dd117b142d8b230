package dev.ballast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What one streaming configuration did while the primary cut some of its streams mid-answer.
 *
 * @param config the configuration's name
 * @param requests client streams requested
 * @param whole streams that ended with {@code [DONE]} and carried the whole answer: the same text
 *     as the answer most streams carried, no part missing or repeated
 * @param continued streams whose run journaled a continuation attempt
 * @param cuts streams the primary cut (the simulator's attempt log)
 * @param primaryAttempts attempts the cutting primary received
 * @param fallbackAttempts attempts the fallback received (continuations included)
 * @param statuses client-side status counts, as in {@link BrownoutResult}
 * @param plainNanos time to the last byte of the streams answered without a continuation, ascending
 * @param continuedNanos the same for the streams answered with one, ascending
 */
record BrownoutStreamResult(
    String config,
    int requests,
    int whole,
    int continued,
    long cuts,
    long primaryAttempts,
    long fallbackAttempts,
    Map<Integer, Integer> statuses,
    long[] plainNanos,
    long[] continuedNanos) {

  /**
   * @param continuedRun whether the run a stream named continued it
   */
  static BrownoutStreamResult of(
      String config,
      OpenLoopLoad.Samples samples,
      Function<String, Boolean> continuedRun,
      long cuts,
      long primaryAttempts,
      long fallbackAttempts) {
    int n = samples.requests();
    String[] texts = new String[n];
    for (int i = 0; i < n; i++) {
      if (samples.statuses()[i] == 200 && samples.bodies()[i] != null) {
        texts[i] = completeText(samples.bodies()[i]);
      }
    }
    String reference = mostCommon(texts);
    SortedMap<Integer, Integer> statuses = new TreeMap<>();
    int whole = 0;
    int continued = 0;
    long[] plain = new long[n];
    long[] spliced = new long[n];
    int plainCount = 0;
    int splicedCount = 0;
    for (int i = 0; i < n; i++) {
      statuses.merge(samples.statuses()[i], 1, Integer::sum);
      boolean isWhole = reference != null && reference.equals(texts[i]);
      boolean isContinued = continuedRun.apply(samples.runIds()[i]);
      whole += isWhole ? 1 : 0;
      continued += isContinued ? 1 : 0;
      if (isWhole && isContinued) {
        spliced[splicedCount++] = samples.latencyNanos()[i];
      } else if (isWhole) {
        plain[plainCount++] = samples.latencyNanos()[i];
      }
    }
    long[] p = Arrays.copyOf(plain, plainCount);
    long[] c = Arrays.copyOf(spliced, splicedCount);
    Arrays.sort(p);
    Arrays.sort(c);
    return new BrownoutStreamResult(
        config,
        n,
        whole,
        continued,
        cuts,
        primaryAttempts,
        fallbackAttempts,
        Collections.unmodifiableSortedMap(statuses),
        p,
        c);
  }

  /**
   * The text of an OpenAI stream that ended with {@code [DONE]} and a finish reason, or null for
   * one that did not (an error event, a cut).
   */
  static String completeText(String sse) {
    StringBuilder text = new StringBuilder();
    boolean done = false;
    boolean finished = false;
    for (String line : sse.split("\n")) {
      if (!line.startsWith("data: ")) {
        continue;
      }
      String data = line.substring("data: ".length()).strip();
      if (data.equals("[DONE]")) {
        done = true;
        continue;
      }
      try {
        JsonNode chunk = Json.mapper().readTree(data);
        if (chunk.has("error")) {
          return null;
        }
        for (JsonNode choice : chunk.path("choices")) {
          text.append(choice.path("delta").path("content").asText(""));
          finished |= !choice.path("finish_reason").isNull() && choice.has("finish_reason");
        }
      } catch (java.io.IOException e) {
        return null;
      }
    }
    return done && finished ? text.toString() : null;
  }

  private static String mostCommon(String[] texts) {
    return Arrays.stream(texts)
        .filter(Objects::nonNull)
        .collect(Collectors.groupingBy(t -> t, Collectors.counting()))
        .entrySet()
        .stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  double wholeShare() {
    return requests == 0 ? 0 : (double) whole / requests;
  }

  /** The {@code percentile} (0–100) of time to the last byte in ms, nearest rank; NaN if none. */
  static double millis(long[] sorted, double percentile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] / 1e6;
  }
}
