package dev.ballast.simulator.internal;

import dev.ballast.simulator.Drift;
import dev.ballast.simulator.InvalidSpecException;
import dev.ballast.simulator.Onset;
import dev.ballast.simulator.SimulationSpec;
import dev.ballast.simulator.SimulationSpec.Latency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Parses the directive list documented on {@link SimulationSpec}. */
public final class SpecParser {
  private Latency latency = Latency.NONE;
  private Duration tokenDelay = Duration.ZERO;
  private int tokens = SimulationSpec.DEFAULT_TOKENS;
  private double errorRate;
  private int errorStatus = 503;
  private int status;
  private Duration retryAfter;
  private int failFirst;
  private int failFirstStatus = 500;
  private Duration flap = Duration.ZERO;
  private boolean contextLength;
  private boolean contentPolicy;
  private boolean reset;
  private boolean silence;
  private Duration firstTokenDelay = Duration.ZERO;
  private int cutAfter = -1;
  private int stallAfter = -1;
  private int errorAfter = -1;
  private boolean rejectPrefill;
  private boolean malformedChunk;
  private boolean noDone;
  private final Set<Drift> drifts = EnumSet.noneOf(Drift.class);
  private boolean noUsage;
  private double latencyFactor = 1;
  private double tokensFactor = 1;
  private double refusalRate;
  private double qualityDrop;
  private double driftRate = 1;
  private double faultRate = 1;
  private String modelId;
  private String fingerprint;

  private SpecParser() {}

  /**
   * Parses a directive list, onsets included: the spec is the first phase's, and each onset carries
   * the whole behaviour from its moment on.
   */
  public static SimulationSpec parse(String directives) {
    return parse(Phases.of(directives));
  }

  /** The spec of phases already cut: the first phase's, each later one as an onset. */
  public static SimulationSpec parse(Phases cut) {
    List<Phases.Phase> phases = cut.phases();
    List<Onset> onsets = new ArrayList<>(phases.size() - 1);
    for (Phases.Phase phase : phases.subList(1, phases.size())) {
      onsets.add(
          new Onset(phase.afterRequests(), phase.afterTime(), phaseSpec(phase.directives())));
    }
    SpecParser first = parser(phases.getFirst().directives());
    return first.build(onsets);
  }

  /**
   * Parses the directives of one phase: the same grammar without onsets.
   *
   * @throws InvalidSpecException also for an {@code onset} directive
   */
  public static SimulationSpec phaseSpec(String directives) {
    return parser(directives).build(List.of());
  }

  private static SpecParser parser(String directives) {
    SpecParser parser = new SpecParser();
    if (directives != null) {
      for (String directive : directives.split(",")) {
        if (!directive.isBlank()) {
          parser.apply(directive.trim());
        }
      }
    }
    return parser;
  }

  private void apply(String directive) {
    int eq = directive.indexOf('=');
    String key = (eq < 0 ? directive : directive.substring(0, eq)).trim();
    String value = eq < 0 ? null : directive.substring(eq + 1).trim();
    try {
      applyKey(directive, key.toLowerCase(Locale.ROOT), value);
    } catch (NumberFormatException | ArithmeticException e) {
      throw invalid(directive, "bad value in directive \"" + directive + "\": " + e.getMessage());
    }
  }

  private void applyKey(String directive, String key, String value) {
    switch (key) {
      case "latency" -> latency = latency(directive, required(directive, value));
      case "token_delay" -> tokenDelay = duration(directive, required(directive, value));
      case "tokens" -> tokens = count(directive, required(directive, value));
      case "error" -> {
        String[] parts = required(directive, value).split("@", 2);
        errorRate = Double.parseDouble(parts[0]);
        if (errorRate < 0 || errorRate > 1) {
          throw invalid(directive, "error rate must be between 0 and 1, but was " + errorRate);
        }
        errorStatus = parts.length > 1 ? httpStatus(directive, parts[1]) : errorStatus;
      }
      case "status" -> status = httpStatus(directive, required(directive, value));
      case "retry_after" ->
          retryAfter = Duration.ofSeconds(count(directive, required(directive, value)));
      case "fail_first" -> {
        String[] parts = required(directive, value).split("@", 2);
        failFirst = count(directive, parts[0]);
        failFirstStatus = parts.length > 1 ? httpStatus(directive, parts[1]) : failFirstStatus;
      }
      case "flap" -> flap = duration(directive, required(directive, value));
      case "first_token_delay" -> firstTokenDelay = duration(directive, required(directive, value));
      case "cut_after" -> cutAfter = tokensOrNone(directive, required(directive, value));
      case "stall_after" -> stallAfter = tokensOrNone(directive, required(directive, value));
      case "error_after" -> errorAfter = tokensOrNone(directive, required(directive, value));
      case "drift" -> {
        for (String name : required(directive, value).split("\\+")) {
          if (name.trim().equals("none")) {
            drifts.clear();
          } else {
            drifts.add(drift(directive, name.trim()));
          }
        }
      }
      default -> applyShift(directive, key, value);
    }
  }

  /** The directives that shift a healthy answer: what an onset typically switches on. */
  private void applyShift(String directive, String key, String value) {
    switch (key) {
      case "latency_factor" -> latencyFactor = factor(directive, required(directive, value));
      case "tokens_factor" -> tokensFactor = factor(directive, required(directive, value));
      case "refusal" -> refusalRate = rate(directive, required(directive, value));
      case "quality_drop" -> qualityDrop = rate(directive, required(directive, value));
      case "drift_rate" -> driftRate = rate(directive, required(directive, value));
      case "fault_rate" -> faultRate = rate(directive, required(directive, value));
      case "model_id" -> modelId = required(directive, value);
      case "fingerprint" -> fingerprint = required(directive, value);
      case "onset" ->
          throw invalid(directive, "onset is not allowed here: this behaviour applies at once");
      default -> applyFlag(directive, key, value);
    }
  }

  /** A flag is on when named, and takes {@code =true} or {@code =false} (after an onset). */
  private void applyFlag(String directive, String key, String value) {
    boolean on = flagValue(directive, key, value);
    switch (key) {
      case "context_length" -> contextLength = on;
      case "content_policy" -> contentPolicy = on;
      case "reset" -> reset = on;
      case "silence" -> silence = on;
      case "reject_prefill" -> rejectPrefill = on;
      case "malformed_chunk" -> malformedChunk = on;
      case "no_done" -> noDone = on;
      case "no_usage" -> noUsage = on;
      default -> throw invalid(directive, "unknown simulator directive \"" + key + "\"");
    }
  }

  private static boolean flagValue(String directive, String key, String value) {
    if (value == null || value.equals("true")) {
      return true;
    } else if (value.equals("false")) {
      return false;
    }
    throw invalid(
        directive,
        "directive \"" + key + "\" takes true, false or no value, but was given " + value);
  }

  /** The spec, with the factors applied to the delays and the length. */
  private SimulationSpec build(List<Onset> onsets) {
    return new SimulationSpec(
        new Latency(
            times(latency.min(), latencyFactor),
            times(latency.max(), latencyFactor),
            latency.logNormal()),
        times(tokenDelay, latencyFactor),
        tokensFactor == 1 ? tokens : Math.max(1, (int) Math.round(tokens * tokensFactor)),
        errorRate,
        errorStatus,
        status,
        retryAfter,
        failFirst,
        failFirstStatus,
        flap,
        contextLength,
        contentPolicy,
        reset,
        silence,
        times(firstTokenDelay, latencyFactor),
        cutAfter,
        stallAfter,
        errorAfter,
        rejectPrefill,
        malformedChunk,
        noDone,
        drifts,
        noUsage,
        refusalRate,
        qualityDrop,
        driftRate,
        faultRate,
        modelId,
        fingerprint,
        onsets);
  }

  /** A token count, or {@code none} (-1): an answer that {@code fault_rate} spared plays whole. */
  private static int tokensOrNone(String directive, String value) {
    return value.trim().equals("none") ? -1 : count(directive, value);
  }

  private static Duration times(Duration d, double factor) {
    return factor == 1 ? d : Duration.ofNanos(Math.round(d.toNanos() * factor));
  }

  private static double factor(String directive, String value) {
    double f = Double.parseDouble(value.trim());
    if (!(f > 0) || Double.isInfinite(f) || f > 1000) {
      throw invalid(directive, "a factor must be above 0 and at most 1000, but was " + value);
    }
    return f;
  }

  private static double rate(String directive, String value) {
    double r = Double.parseDouble(value.trim());
    if (!(r >= 0 && r <= 1)) {
      throw invalid(directive, "a rate must be between 0 and 1, but was " + value);
    }
    return r;
  }

  private static Latency latency(String directive, String value) {
    if (value.startsWith("p50:")) {
      String[] parts = value.substring(4).split("/p99:", 2);
      if (parts.length != 2) {
        throw invalid(directive, "log-normal latency must read p50:D/p99:D, but was " + value);
      }
      return ordered(directive, duration(directive, parts[0]), duration(directive, parts[1]), true);
    }
    String[] parts = value.split("\\.\\.", 2);
    Duration min = duration(directive, parts[0]);
    Duration max = parts.length > 1 ? duration(directive, parts[1]) : min;
    return ordered(directive, min, max, false);
  }

  private static Latency ordered(String directive, Duration min, Duration max, boolean logNormal) {
    if (max.compareTo(min) < 0) {
      throw invalid(directive, "latency upper bound " + max + " is below lower bound " + min);
    }
    return new Latency(min, max, logNormal);
  }

  /** Parses {@code 250ms}, {@code 2s} or {@code 1m}; a bare number means milliseconds. */
  static Duration duration(String directive, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    } else if (v.endsWith("s")) {
      return Duration.ofMillis(
          Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1e3));
    } else if (v.endsWith("m")) {
      return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
    } else if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
      return Duration.ofMillis(Long.parseLong(v));
    }
    throw invalid(directive, "bad duration \"" + value + "\" in directive \"" + directive + "\"");
  }

  private static int count(String directive, String value) {
    int n = Integer.parseInt(value.trim());
    if (n < 0) {
      throw invalid(directive, "count must not be negative, but was " + n);
    }
    return n;
  }

  private static int httpStatus(String directive, String value) {
    int s = Integer.parseInt(value.trim());
    if (s < 400 || s > 599) {
      throw invalid(directive, "status must be between 400 and 599, but was " + s);
    }
    return s;
  }

  private static Drift drift(String directive, String name) {
    for (Drift d : Drift.values()) {
      if (d.specName().equals(name)) {
        return d;
      }
    }
    throw invalid(directive, "unknown drift \"" + name + "\" in directive \"" + directive + "\"");
  }

  private static String required(String directive, String value) {
    if (value == null || value.isEmpty()) {
      throw invalid(directive, "directive \"" + directive + "\" needs a value");
    }
    return value;
  }

  private static InvalidSpecException invalid(String directive, String message) {
    return new InvalidSpecException(directive, message);
  }
}
