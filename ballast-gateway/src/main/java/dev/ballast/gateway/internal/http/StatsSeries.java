package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.stats.StatsBucket;
import dev.ballast.core.stats.StatsQuery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON of {@code GET /v1/ballast/stats}: columns a chart takes as they are. {@code buckets}
 * holds each bucket's start (epoch seconds); every series has one value per bucket in each of its
 * arrays, null where a percentile has no data:
 *
 * <pre>
 * {"object": "stats", "by": "group", "step_seconds": 60, "since": ..., "until": ...,
 *  "buckets": [t0, t1, ...],
 *  "series": [{"name": "default", "requests": [...], "errors": {"timeout": [...]},
 *              "error_rate": [...], "latency_p50_ms": [...], "latency_p99_ms": [...],
 *              "ttft_p50_ms": [...], "ttft_p99_ms": [...], "input_tokens": [...],
 *              "output_tokens": [...], "cost": [...], "totals": {...}}]}
 * </pre>
 *
 * {@code error_rate} is errors over ended requests in the bucket (runs still running are left out).
 */
final class StatsSeries {
  /** Steps a window is cut into, so that a chart has at most about 100 points. */
  private static final List<Duration> STEPS =
      List.of(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofMinutes(1),
          Duration.ofMinutes(2),
          Duration.ofMinutes(5),
          Duration.ofMinutes(10),
          Duration.ofMinutes(15),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2),
          Duration.ofHours(3),
          Duration.ofHours(6));

  private static final int MAX_POINTS = 100;

  private StatsSeries() {}

  static Duration step(Duration window) {
    for (Duration step : STEPS) {
      if (window.toMillis() / step.toMillis() <= MAX_POINTS) {
        return step;
      }
    }
    return STEPS.get(STEPS.size() - 1);
  }

  static ObjectNode json(StatsQuery query, List<StatsBucket> buckets) {
    int n = query.buckets();
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "stats");
    root.put("by", query.dimension().wireName());
    if (query.tenant() == null) {
      root.putNull("tenant");
    } else {
      root.put("tenant", query.tenant());
    }
    root.put("since", query.since().toString());
    root.put("until", query.until().toString());
    root.put("step_seconds", query.step().toSeconds());
    ArrayNode times = root.putArray("buckets");
    for (int i = 0; i < n; i++) {
      times.add(query.bucketStart(i).getEpochSecond());
    }
    Map<String, Series> series = new TreeMap<>();
    for (StatsBucket b : buckets) {
      if (b.index() >= 0 && b.index() < n) {
        series.computeIfAbsent(b.series(), name -> new Series(n)).add(b);
      }
    }
    ArrayNode out = root.putArray("series");
    series.forEach((name, s) -> out.add(s.json(name.isEmpty() ? "(unknown)" : name)));
    return root;
  }

  /** One series' columns. */
  private static final class Series {
    final int n;
    final long[] requests;
    final long[] ended;
    final long[] errorsTotal;
    final Map<String, long[]> errors = new TreeMap<>();
    final Double[] p50;
    final Double[] p99;
    final Double[] ttft50;
    final Double[] ttft99;
    final long[] input;
    final long[] output;
    final double[] cost;

    Series(int n) {
      this.n = n;
      requests = new long[n];
      ended = new long[n];
      errorsTotal = new long[n];
      p50 = new Double[n];
      p99 = new Double[n];
      ttft50 = new Double[n];
      ttft99 = new Double[n];
      input = new long[n];
      output = new long[n];
      cost = new double[n];
    }

    void add(StatsBucket b) {
      int i = b.index();
      requests[i] += b.requests();
      b.outcomes()
          .forEach(
              (outcome, count) -> {
                if (!outcome.equals(StatsBucket.RUNNING)) {
                  ended[i] += count;
                }
                if (!outcome.equals(StatsBucket.OK) && !outcome.equals(StatsBucket.RUNNING)) {
                  errorsTotal[i] += count;
                  errors.computeIfAbsent(outcome, k -> new long[n])[i] += count;
                }
              });
      p50[i] = b.latencyP50Ms();
      p99[i] = b.latencyP99Ms();
      ttft50[i] = b.ttftP50Ms();
      ttft99[i] = b.ttftP99Ms();
      input[i] += b.inputTokens();
      output[i] += b.outputTokens();
      cost[i] += b.cost();
    }

    ObjectNode json(String name) {
      ObjectNode s = Json.mapper().createObjectNode();
      s.put("name", name);
      longs(s.putArray("requests"), requests);
      ObjectNode byClass = s.putObject("errors");
      errors.forEach((outcome, counts) -> longs(byClass.putArray(outcome), counts));
      ArrayNode rate = s.putArray("error_rate");
      for (int i = 0; i < n; i++) {
        if (ended[i] == 0) {
          rate.addNull();
        } else {
          rate.add((double) errorsTotal[i] / ended[i]);
        }
      }
      doubles(s.putArray("latency_p50_ms"), p50);
      doubles(s.putArray("latency_p99_ms"), p99);
      doubles(s.putArray("ttft_p50_ms"), ttft50);
      doubles(s.putArray("ttft_p99_ms"), ttft99);
      longs(s.putArray("input_tokens"), input);
      longs(s.putArray("output_tokens"), output);
      ArrayNode c = s.putArray("cost");
      for (double v : cost) {
        c.add(v);
      }
      ObjectNode totals = s.putObject("totals");
      totals.put("requests", sum(requests));
      totals.put("errors", sum(errorsTotal));
      totals.put("input_tokens", sum(input));
      totals.put("output_tokens", sum(output));
      double total = 0;
      for (double v : cost) {
        total += v;
      }
      totals.put("cost", total);
      ObjectNode classes = totals.putObject("errors_by_class");
      errors.forEach((outcome, counts) -> classes.put(outcome, sum(counts)));
      return s;
    }

    private static long sum(long[] values) {
      long total = 0;
      for (long v : values) {
        total += v;
      }
      return total;
    }

    private static void longs(ArrayNode array, long[] values) {
      for (long v : values) {
        array.add(v);
      }
    }

    private static void doubles(ArrayNode array, Double[] values) {
      for (Double v : values) {
        if (v == null) {
          array.addNull();
        } else {
          array.add(Math.round(v * 100) / 100.0);
        }
      }
    }
  }
}
