package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.WatchSettings.Baseline;
import dev.ballast.core.config.WatchSettings.Detector;
import dev.ballast.core.config.WatchSettings.Identity;
import dev.ballast.core.config.WatchSettings.Rates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@code watch}: every key optional, every problem reported with its path. */
final class WatchConfigReader {
  private static final String PATH = "watch";
  private static final Set<String> DETECTOR_KEYS =
      Set.of("enabled", "threshold", "drift", "min_samples", "recovery");

  private WatchConfigReader() {}

  static WatchSettings read(ConfigReader r, JsonNode node) {
    Set<String> keys = new HashSet<>(WatchSettings.CONTINUOUS);
    keys.addAll(
        Set.of(
            "enabled",
            "max_series",
            "retention",
            "baseline",
            "rates",
            "identity",
            "refusal_patterns",
            "overrides",
            "notify"));
    if (!r.object(node, PATH, keys)) {
      return WatchSettings.DEFAULT;
    }
    WatchSettings d = WatchSettings.DEFAULT;
    Map<String, Detector> signals = new LinkedHashMap<>();
    for (String signal : WatchSettings.CONTINUOUS) {
      if (node.has(signal)) {
        signals.put(
            signal, detector(r, node.get(signal), PATH + "." + signal, Detector.CONTINUOUS));
      }
    }
    Rates rates = rates(r, node.get("rates"));
    Duration retention = r.duration(node, PATH, "retention", d.retention());
    Baseline baseline = baseline(r, node.get("baseline"));
    if (retention.compareTo(baseline.window()) < 0) {
      r.error(
          PATH + ".retention",
          "must be at least watch.baseline.window (" + baseline.window() + ")");
      retention = baseline.window();
    }
    return new WatchSettings(
        r.bool(node, PATH, "enabled", d.enabled()),
        (int) r.integer(node, PATH, "max_series", d.maxSeries(), 1, 1_000_000),
        baseline,
        signals,
        rates,
        identity(r, node.get("identity")),
        refusals(r, node),
        overrides(r, node.get("overrides"), rates),
        retention,
        notify(r, node.get("notify")));
  }

  private static WatchSettings.Notify notify(ConfigReader r, JsonNode node) {
    String path = PATH + ".notify";
    if (!r.object(node, path, Set.of("webhook", "headers"))) {
      return WatchSettings.Notify.NONE;
    }
    String url = r.string(node, path, "webhook", "", false).strip();
    java.net.URI webhook = null;
    if (!url.isEmpty()) {
      try {
        webhook = new java.net.URI(url);
        if (!("http".equals(webhook.getScheme()) || "https".equals(webhook.getScheme()))
            || webhook.getHost() == null) {
          r.error(path + ".webhook", "expected an http:// or https:// URL");
          webhook = null;
        }
      } catch (java.net.URISyntaxException e) {
        r.error(path + ".webhook", "not a valid URL: " + e.getReason());
      }
    }
    Map<String, Secret> headers = new LinkedHashMap<>();
    r.stringMap(node, path, "headers")
        .forEach(
            (name, value) -> {
              if (name.equalsIgnoreCase("idempotency-key")) {
                r.error(path + ".headers." + name, "is set by Ballast to the effect's key");
              } else {
                headers.put(name, new Secret(value));
              }
            });
    return new WatchSettings.Notify(webhook, headers);
  }

  /**
   * The built-in pipeline that posts alert notifications: one {@code http_action} stage whose body
   * is Slack-compatible ({@code text}) and carries the alert's fields, retried with backoff.
   */
  static JsonNode notifyPipeline(WatchSettings.Notify notify) {
    com.fasterxml.jackson.databind.node.ObjectNode pipeline =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    pipeline.put("description", "Watch's alert notifications (built in from watch.notify)");
    com.fasterxml.jackson.databind.node.ObjectNode stage = pipeline.putArray("stages").addObject();
    stage.put("name", "notify");
    stage.put("type", "http_action");
    stage.put("url", notify.webhook().toString());
    stage.put("timeout", "30s");
    stage.putObject("retry").put("max_attempts", 10).put("backoff", "2s").put("max_backoff", "5m");
    if (!notify.headers().isEmpty()) {
      com.fasterxml.jackson.databind.node.ObjectNode headers = stage.putObject("headers");
      notify.headers().forEach((name, value) -> headers.put(name, value.value()));
    }
    com.fasterxml.jackson.databind.node.ObjectNode body = stage.putObject("body");
    for (String field : NOTIFY_FIELDS) {
      body.put(field, "{{input." + field + "}}");
    }
    return pipeline;
  }

  /** The fields of a notification's input and body; {@code text} is what Slack shows. */
  static final List<String> NOTIFY_FIELDS =
      List.of(
          "text",
          "alert",
          "transition",
          "series",
          "signal",
          "kind",
          "severity",
          "title",
          "last_good_run",
          "first_bad_run");

  private static Baseline baseline(ConfigReader r, JsonNode node) {
    String path = PATH + ".baseline";
    Baseline d = Baseline.DEFAULT;
    if (!r.object(node, path, Set.of("window", "settle", "tick"))) {
      return d;
    }
    Duration window = r.duration(node, path, "window", d.window());
    Duration settle = r.duration(node, path, "settle", d.settle());
    Duration tick = r.duration(node, path, "tick", d.tick());
    if (window.compareTo(Duration.ofMinutes(5)) < 0) {
      r.error(path + ".window", "must be at least 5m, but was " + window);
      window = d.window();
    }
    if (settle.compareTo(window) >= 0) {
      r.error(path + ".settle", "must be shorter than watch.baseline.window (" + window + ")");
      settle = d.settle();
    }
    if (tick.compareTo(Duration.ofMillis(100)) < 0 || tick.compareTo(Duration.ofMinutes(1)) > 0) {
      r.error(path + ".tick", "must be between 100ms and 1m, but was " + tick);
      tick = d.tick();
    }
    return new Baseline(window, settle, tick);
  }

  static Detector detector(ConfigReader r, JsonNode node, String path, Detector d) {
    if (!r.object(node, path, DETECTOR_KEYS)) {
      return d;
    }
    double threshold = r.decimal(node, path, "threshold", d.threshold());
    if (threshold < 1 || threshold > 1000) {
      r.error(path + ".threshold", "must be between 1 and 1000, but was " + threshold);
      threshold = d.threshold();
    }
    double drift = r.decimal(node, path, "drift", d.drift());
    if (drift > 10) {
      r.error(path + ".drift", "must be between 0 and 10, but was " + drift);
      drift = d.drift();
    }
    return new Detector(
        r.bool(node, path, "enabled", d.enabled()),
        threshold,
        drift,
        (int) r.integer(node, path, "min_samples", d.minSamples(), 10, 10_000_000),
        (int) r.integer(node, path, "recovery", d.recovery(), 10, 1_000_000));
  }

  private static Rates rates(ConfigReader r, JsonNode node) {
    String path = PATH + ".rates";
    Rates d = Rates.DEFAULT;
    if (!r.object(
        node,
        path,
        Set.of(
            "enabled", "threshold", "ratio", "min_increase", "floor", "min_samples", "recovery"))) {
      return d;
    }
    double threshold = r.decimal(node, path, "threshold", d.threshold());
    if (threshold < 1 || threshold > 1000) {
      r.error(path + ".threshold", "must be between 1 and 1000, but was " + threshold);
      threshold = d.threshold();
    }
    double ratio = r.decimal(node, path, "ratio", d.ratio());
    if (ratio <= 1 || ratio > 1000) {
      r.error(path + ".ratio", "must be greater than 1 and at most 1000, but was " + ratio);
      ratio = d.ratio();
    }
    double minIncrease = r.decimal(node, path, "min_increase", d.minIncrease());
    if (minIncrease <= 0 || minIncrease >= 1) {
      r.error(
          path + ".min_increase", "must be between 0 and 1 (exclusive), but was " + minIncrease);
      minIncrease = d.minIncrease();
    }
    double floor = r.decimal(node, path, "floor", d.floor());
    if (floor <= 0 || floor >= 0.5) {
      r.error(path + ".floor", "must be between 0 and 0.5 (exclusive), but was " + floor);
      floor = d.floor();
    }
    return new Rates(
        r.bool(node, path, "enabled", d.enabled()),
        threshold,
        ratio,
        minIncrease,
        floor,
        (int) r.integer(node, path, "min_samples", d.minSamples(), 10, 10_000_000),
        (int) r.integer(node, path, "recovery", d.recovery(), 10, 1_000_000));
  }

  private static Identity identity(ConfigReader r, JsonNode node) {
    String path = PATH + ".identity";
    Identity d = Identity.DEFAULT;
    if (!r.object(node, path, Set.of("enabled", "min_samples", "accept_after", "max_values"))) {
      return d;
    }
    return new Identity(
        r.bool(node, path, "enabled", d.enabled()),
        (int) r.integer(node, path, "min_samples", d.minSamples(), 1, 1_000_000),
        r.duration(node, path, "accept_after", d.acceptAfter()),
        (int) r.integer(node, path, "max_values", d.maxValues(), 2, 1_000));
  }

  private static List<Pattern> refusals(ConfigReader r, JsonNode node) {
    if (node.get("refusal_patterns") == null || node.get("refusal_patterns").isNull()) {
      return WatchSettings.DEFAULT.refusalPatterns();
    }
    List<Pattern> patterns = new ArrayList<>();
    List<String> texts = r.strings(node, PATH, "refusal_patterns");
    for (int i = 0; i < texts.size(); i++) {
      try {
        patterns.add(Pattern.compile(texts.get(i)));
      } catch (PatternSyntaxException e) {
        r.error(
            PATH + ".refusal_patterns[" + i + "]",
            "not a valid regular expression: " + e.getDescription());
      }
    }
    return patterns;
  }

  /** {@code overrides: {SERIES: {SIGNAL: {threshold, drift, min_samples, recovery, enabled}}}}. */
  private static Map<String, Map<String, Detector>> overrides(
      ConfigReader r, JsonNode node, Rates rates) {
    String path = PATH + ".overrides";
    Map<String, Map<String, Detector>> result = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return result;
    }
    if (!node.isObject()) {
      r.error(path, "expected a mapping of series (e.g. deployment:gpt4o) to signals");
      return result;
    }
    node.properties()
        .forEach(
            series -> {
              String seriesPath = path + "." + series.getKey();
              if (!series.getKey().matches("(deployment|group|stage|tenant):.+")) {
                r.error(
                    seriesPath,
                    "a series is KIND:NAME with KIND one of deployment, group, stage, tenant");
                return;
              }
              if (!series.getValue().isObject()) {
                r.error(seriesPath, "expected a mapping of signal names to detector settings");
                return;
              }
              Map<String, Detector> bySignal = new LinkedHashMap<>();
              series
                  .getValue()
                  .properties()
                  .forEach(
                      signal -> {
                        String name = signal.getKey();
                        boolean continuous = WatchSettings.CONTINUOUS.contains(name);
                        if (!continuous && !name.matches("[a-z_]+_rate(\\.[a-z_]+)?")) {
                          r.error(
                              seriesPath + "." + name,
                              "unknown signal (expected one of "
                                  + String.join(", ", WatchSettings.CONTINUOUS)
                                  + " or a rate signal such as failure_rate)");
                          return;
                        }
                        Detector base = continuous ? Detector.CONTINUOUS : rates.detector();
                        bySignal.put(
                            name, detector(r, signal.getValue(), seriesPath + "." + name, base));
                      });
              result.put(series.getKey(), bySignal);
            });
    return result;
  }
}
