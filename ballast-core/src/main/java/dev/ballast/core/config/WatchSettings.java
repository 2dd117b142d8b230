package dev.ballast.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code watch}: how Watch turns completed runs into signals, how its detectors decide that a
 * series changed, and what they remember. Every key is optional; the defaults are chosen so that
 * stationary noise raises no alarm (see docs/watch.md for the false-alarm budget they buy).
 *
 * @param enabled false: no signals, no detectors, no alert endpoints (default true)
 * @param maxSeries series tracked in memory at once; observations of further series are counted and
 *     dropped (default 1,000)
 * @param baseline the trailing window the detectors compare against
 * @param signals detector settings per continuous or rate signal name, e.g. {@code latency}; a
 *     signal absent here takes {@link #defaultsFor}
 * @param rates the defaults of every rate signal ({@code failure_rate}, {@code refusal_rate}...)
 * @param identity the identity detector (answering model and fingerprint per deployment)
 * @param refusalPatterns an answer whose text matches one of these is counted as a refusal
 * @param overrides per series (e.g. {@code deployment:gpt4o}), per signal: settings that replace
 *     the signal's own
 * @param retention how long per-minute aggregates are kept in the store (default 7 days)
 * @param notifications where alert transitions are sent ({@code watch.notify}); {@link Notify#NONE}
 *     by default
 */
public record WatchSettings(
    boolean enabled,
    int maxSeries,
    Baseline baseline,
    Map<String, Detector> signals,
    Rates rates,
    Identity identity,
    List<Pattern> refusalPatterns,
    Map<String, Map<String, Detector>> overrides,
    Duration retention,
    Notify notifications) {

  /** The continuous signals, each watched on a log scale. */
  public static final List<String> CONTINUOUS =
      List.of("latency", "ttft", "tokens_per_second", "input_tokens", "output_tokens", "cost");

  /** The refusal patterns used when the configuration names none. */
  public static final List<String> DEFAULT_REFUSALS =
      List.of(
          "(?i)^\\s*(I'?m|I am) (sorry|afraid),? (but )?I (can(no|')?t|am unable|won'?t)",
          "(?i)^\\s*I (can(no|')?t|am unable to|won'?t) (help|assist|comply) with");

  public static final WatchSettings DEFAULT =
      new WatchSettings(
          true,
          1_000,
          Baseline.DEFAULT,
          Map.of(),
          Rates.DEFAULT,
          Identity.DEFAULT,
          DEFAULT_REFUSALS.stream().map(Pattern::compile).toList(),
          Map.of(),
          Duration.ofDays(7),
          Notify.NONE);

  public WatchSettings {
    signals = Map.copyOf(signals);
    refusalPatterns = List.copyOf(refusalPatterns);
    overrides = Map.copyOf(overrides);
    notifications = notifications == null ? Notify.NONE : notifications;
  }

  /** The built-in pipeline that delivers alert notifications when {@code watch.notify} is set. */
  public static final String NOTIFY_PIPELINE = "ballast-watch-notify";

  /** The settings of a continuous signal's detector on {@code series}. */
  public Detector detector(String series, String signal) {
    Map<String, Detector> forSeries = overrides.get(series);
    if (forSeries != null && forSeries.containsKey(signal)) {
      return forSeries.get(signal);
    }
    return Optional.ofNullable(signals.get(signal)).orElseGet(() -> defaultsFor(signal));
  }

  /** The settings a signal has when the configuration says nothing of it. */
  public Detector defaultsFor(String signal) {
    return CONTINUOUS.contains(signal) ? Detector.CONTINUOUS : rates.detector();
  }

  /**
   * The trailing window of per-minute aggregates the detectors compare against.
   *
   * @param window how far back the baseline reaches (default 1 h)
   * @param settle how old a minute must be before it joins the baseline, so that every node has
   *     written its share and a change in progress is not learnt as normal (default 2 min)
   * @param tick how often a node writes its aggregates and reads the others' (default 5 s)
   */
  public record Baseline(Duration window, Duration settle, Duration tick) {
    public static final Baseline DEFAULT =
        new Baseline(Duration.ofHours(1), Duration.ofMinutes(2), Duration.ofSeconds(5));
  }

  /**
   * A sequential detector's settings.
   *
   * @param enabled false: the signal is still recorded, never alerted on
   * @param threshold the CUSUM decision interval h: the evidence (in robust standard deviations for
   *     a continuous signal, in nats of log-likelihood ratio for a rate) at which it alarms
   * @param drift the CUSUM reference value k: how much of each observation's deviation is forgiven;
   *     half the smallest shift worth detecting, in robust standard deviations
   * @param minSamples observations the baseline must hold before the detector may alarm
   * @param recovery observations after which an alert may resolve, when they look like the baseline
   *     again
   */
  public record Detector(
      boolean enabled, double threshold, double drift, int minSamples, int recovery) {
    public static final Detector CONTINUOUS = new Detector(true, 20, 0.5, 200, 100);
  }

  /**
   * Rate signals: a Bernoulli CUSUM tests the baseline rate p0 against p1 = max(ratio × p0, p0 +
   * minIncrease), never below {@code floor}.
   */
  public record Rates(
      boolean enabled,
      double threshold,
      double ratio,
      double minIncrease,
      double floor,
      int minSamples,
      int recovery) {
    public static final Rates DEFAULT = new Rates(true, 18, 3, 0.02, 0.001, 500, 300);

    public Detector detector() {
      return new Detector(enabled, threshold, 0, minSamples, recovery);
    }
  }

  /**
   * The identity detector: a deployment's answering model id and {@code system_fingerprint}. A new
   * value, once the deployment has answered {@code minSamples} times with known values, is an alert
   * at once.
   *
   * @param acceptAfter how long a new identity stays an open alert before it is taken as the new
   *     normal and the alert resolves (default 24 h)
   * @param maxValues distinct values remembered per deployment and kind (default 16)
   */
  public record Identity(boolean enabled, int minSamples, Duration acceptAfter, int maxValues) {
    public static final Identity DEFAULT = new Identity(true, 10, Duration.ofHours(24), 16);
  }

  /**
   * {@code watch.notify}: each alert's opening and resolution is posted to {@code webhook} as a
   * Slack-compatible JSON body ({@code text}, plus the alert's fields), through the built-in
   * pipeline {@value #NOTIFY_PIPELINE}: the run queue and the effects ledger deliver it once per
   * transition, with the same {@code Idempotency-Key} on every retry, whichever node runs it.
   *
   * @param webhook null: no notifications
   * @param headers sent with every notification, e.g. an authorization; values are secrets
   */
  public record Notify(java.net.URI webhook, Map<String, Secret> headers) {
    public static final Notify NONE = new Notify(null, Map.of());

    public Notify {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public boolean enabled() {
      return webhook != null;
    }
  }
}
