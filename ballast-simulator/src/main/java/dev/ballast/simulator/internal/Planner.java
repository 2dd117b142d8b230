package dev.ballast.simulator.internal;

import dev.ballast.simulator.InvalidSpecException;
import dev.ballast.simulator.SimulationSpec;
import dev.ballast.simulator.SimulationSpec.Latency;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides the {@link Plan} for each request. Deterministic for a given seed and request order per
 * model: each request draws from a {@link SplittableRandom} seeded by the engine seed, the model
 * and the request's sequence number, so concurrent traffic on other models does not change the
 * outcome. Thread-safe.
 */
public final class Planner {
  /** The model name used when a request names none. */
  public static final String DEFAULT_MODEL = "sim";

  private static final int SPEC_CACHE_LIMIT = 4096;

  private final long seed;
  private final InstantSource clock;
  private final Map<String, String> profiles;
  private final Map<String, SimulationSpec> specs = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private volatile Instant epoch;

  /**
   * @throws InvalidSpecException listing every invalid profile, each with its path
   */
  public Planner(long seed, InstantSource clock, Map<String, String> profiles) {
    this.seed = seed;
    this.clock = clock;
    this.profiles = Map.copyOf(new TreeMap<>(profiles));
    this.epoch = clock.instant();
    validateProfiles();
  }

  private void validateProfiles() {
    List<String> errors = new ArrayList<>();
    String first = null;
    for (var e : new TreeMap<>(profiles).entrySet()) {
      try {
        SimulationSpec.parse(e.getValue());
      } catch (InvalidSpecException ex) {
        first = first == null ? ex.directive() : first;
        errors.add("profiles." + e.getKey() + ": " + ex.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidSpecException(first, String.join("\n", errors));
    }
  }

  public InstantSource clock() {
    return clock;
  }

  public Map<String, String> profiles() {
    return profiles;
  }

  /**
   * The spec of a model name: a profile's directives plus any after the colon, the inline
   * directives alone, or healthy.
   *
   * @throws InvalidSpecException when the directives do not parse
   */
  public SimulationSpec resolve(String model) {
    String name = model == null ? DEFAULT_MODEL : model;
    SimulationSpec cached = specs.get(name);
    if (cached != null) {
      return cached;
    }
    SimulationSpec spec = SimulationSpec.parse(directivesOf(name));
    if (specs.size() < SPEC_CACHE_LIMIT) {
      specs.put(name, spec);
    }
    return spec;
  }

  private String directivesOf(String name) {
    int colon = name.indexOf(':');
    String base = colon < 0 ? name : name.substring(0, colon);
    String inline = colon < 0 ? "" : name.substring(colon + 1);
    String profile = profiles.get(base);
    return profile == null ? inline : profile + "," + inline;
  }

  /** Decides what to do with the next request for {@code model}; never throws for a bad spec. */
  public Plan plan(String model) {
    String name = model == null ? DEFAULT_MODEL : model;
    SimulationSpec spec;
    try {
      spec = resolve(name);
    } catch (InvalidSpecException e) {
      return Plan.invalid(
          name, PlannedFailure.invalidRequest(PlannedFailure.Kind.INVALID_SPEC, e.getMessage()));
    }
    long sequence = counters.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    SplittableRandom random = new SplittableRandom(mix(seed, name.hashCode(), sequence));
    boolean errorDrawn = random.nextDouble() < spec.errorRate();
    Duration latency = sampleLatency(spec.latency(), random);
    PlannedFailure failure = failureOf(spec, sequence, errorDrawn);
    Plan.Outcome outcome =
        failure != null
            ? Plan.Outcome.FAIL
            : spec.reset()
                ? Plan.Outcome.RESET
                : spec.silence() ? Plan.Outcome.SILENCE : Plan.Outcome.ANSWER;
    return new Plan(name, spec, sequence, latency, outcome, failure);
  }

  private PlannedFailure failureOf(SimulationSpec spec, long sequence, boolean errorDrawn) {
    if (!spec.flap().isZero() && clock.instant().isBefore(epoch.plus(spec.flap()))) {
      return PlannedFailure.status(503, null);
    } else if (sequence <= spec.failFirst()) {
      return PlannedFailure.status(spec.failFirstStatus(), null);
    } else if (spec.status() != 0) {
      return PlannedFailure.status(spec.status(), spec.retryAfter());
    } else if (errorDrawn) {
      return PlannedFailure.status(spec.errorStatus(), null);
    } else if (spec.contextLength()) {
      return PlannedFailure.invalidRequest(
          PlannedFailure.Kind.CONTEXT_LENGTH,
          "This model's maximum context length is 8192 tokens. However, your messages resulted in"
              + " 8193 tokens. Please reduce the length of the messages.");
    } else if (spec.contentPolicy()) {
      return PlannedFailure.invalidRequest(
          PlannedFailure.Kind.CONTENT_POLICY,
          "Your request was rejected as a result of our safety system (simulated content policy"
              + " \"sim-usage-policy\").");
    }
    return null;
  }

  /** Forgets request counters and restarts flap timers. */
  public void reset() {
    counters.clear();
    epoch = clock.instant();
  }

  static Duration sampleLatency(Latency latency, SplittableRandom random) {
    long min = latency.min().toNanos();
    long max = latency.max().toNanos();
    if (max == 0) {
      return Duration.ZERO;
    } else if (latency.logNormal()) {
      // Median p50 and 99th percentile p99: sigma follows from the z-score 2.326 of the 99th
      // percentile; the sample is capped so one unlucky draw cannot stall a test run.
      double mu = Math.log(Math.max(1, min));
      double sigma = (Math.log(Math.max(1, max)) - mu) / 2.326;
      double sample = Math.exp(mu + sigma * gaussian(random));
      return Duration.ofNanos((long) Math.min(sample, 10.0 * max));
    }
    return Duration.ofNanos(min == max ? min : random.nextLong(min, max + 1));
  }

  private static double gaussian(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static long mix(long seed, int model, long sequence) {
    long h = seed ^ (model * 0x9E3779B97F4A7C15L) ^ (sequence * 0xC2B2AE3D27D4EB4FL);
    h ^= h >>> 33;
    return h * 0xFF51AFD7ED558CCDL;
  }
}
