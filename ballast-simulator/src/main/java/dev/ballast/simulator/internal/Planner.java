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
  private final Map<String, SimulationSpec> phaseSpecs = new ConcurrentHashMap<>();
  private final Map<String, Phases> phases = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private final Switches switches = new Switches();
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
    SimulationSpec spec = SpecParser.parse(phasesOf(name));
    if (specs.size() < SPEC_CACHE_LIMIT) {
      specs.put(name, spec);
    }
    return spec;
  }

  /**
   * A model name's phases: the inline directives alone, or the profile's phases with the inline
   * directives on top of each. Inline directives with onsets of their own continue the profile's
   * instead.
   */
  private Phases phasesOf(String name) {
    Phases cached = phases.get(name);
    if (cached != null) {
      return cached;
    }
    int colon = name.indexOf(':');
    String base = colon < 0 ? name : name.substring(0, colon);
    String inline = colon < 0 ? "" : name.substring(colon + 1);
    String profile = profiles.get(base);
    Phases result;
    if (profile == null) {
      result = Phases.of(inline);
    } else if (Phases.of(inline).phases().size() == 1) {
      result = Phases.of(profile).onTop(inline);
    } else {
      result = Phases.of(profile + "," + inline);
    }
    if (phases.size() < SPEC_CACHE_LIMIT) {
      phases.put(name, result);
    }
    return result;
  }

  /** The operator's switches, applied on top of every model's current phase. */
  public Switches switches() {
    return switches;
  }

  /**
   * Decides what to do with the next request for {@code model}; never throws for a bad spec. The
   * behaviour is the model's phase for this request (its onsets counted against the model's
   * requests and the time since the start or the last reset), with any switch on top.
   */
  public Plan plan(String model) {
    String name = model == null ? DEFAULT_MODEL : model;
    try {
      resolve(name);
    } catch (InvalidSpecException e) {
      return Plan.invalid(
          name, PlannedFailure.invalidRequest(PlannedFailure.Kind.INVALID_SPEC, e.getMessage()));
    }
    long sequence = counters.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    String directives = directivesFor(name, sequence);
    SplittableRandom random = new SplittableRandom(mix(seed, name.hashCode(), sequence));
    SimulationSpec spec = phaseSpec(directives);
    boolean errorDrawn = random.nextDouble() < spec.errorRate();
    Duration latency = sampleLatency(spec.latency(), random);
    // Drawn after the draws above, whatever the rates, so that a spec without them plays as before.
    boolean drifted = random.nextDouble() < spec.driftRate();
    boolean refused = random.nextDouble() < spec.refusalRate();
    boolean offTopic = !refused && random.nextDouble() < spec.qualityDrop();
    boolean faulted = random.nextDouble() < spec.faultRate();
    String spared =
        (drifted ? "" : ",drift=none,malformed_chunk=false")
            + (faulted ? "" : ",cut_after=none,stall_after=none,error_after=none");
    if (!spared.isEmpty()) {
      spec = phaseSpec(directives + spared);
    }
    PlannedFailure failure = failureOf(spec, sequence, errorDrawn);
    Plan.Outcome outcome =
        failure != null
            ? Plan.Outcome.FAIL
            : spec.reset()
                ? Plan.Outcome.RESET
                : spec.silence() ? Plan.Outcome.SILENCE : Plan.Outcome.ANSWER;
    return new Plan(name, spec, sequence, latency, outcome, failure, refused, offTopic);
  }

  /** The directives in force for a model's request: its phase's, then any switch's. */
  private String directivesFor(String name, long sequence) {
    String directives =
        phasesOf(name).at(sequence, Duration.between(epoch, clock.instant())).directives();
    String switched = switches.of(name);
    return switched == null ? directives : directives + "," + switched;
  }

  private SimulationSpec phaseSpec(String directives) {
    SimulationSpec cached = phaseSpecs.get(directives);
    if (cached != null) {
      return cached;
    }
    SimulationSpec spec = SpecParser.phaseSpec(directives);
    if (phaseSpecs.size() < SPEC_CACHE_LIMIT) {
      phaseSpecs.put(directives, spec);
    }
    return spec;
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

  /** Forgets request counters and switches, and restarts flap timers and timed onsets. */
  public void reset() {
    counters.clear();
    switches.clear();
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
