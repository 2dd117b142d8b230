package dev.ballast.pipeline.crash;

import java.time.Duration;

/**
 * The shape of one crash run. Every value can be overridden by a system property {@code
 * ballast.crash.<name>} (durations in milliseconds), which is how the soak profile makes the long
 * version out of the short one.
 *
 * @param runs runs submitted, spread over the kills so that every kill finds runs in flight
 * @param kills SIGKILLs sent, each to a random worker that is ready (preferring one holding runs)
 * @param workers worker processes started at first; each kill starts a replacement
 * @param minAlive a kill waits until at least {@code minAlive + 1} workers are ready, so that at
 *     least {@code minAlive} ready workers are running at every moment
 * @param concurrency worker slots of each process
 * @param lease how long a run stays its holder's without a heartbeat
 * @param heartbeat how often holders extend their leases
 * @param poll how long an idle worker slot waits before looking again
 * @param maxPause the longest random pause of each java stage
 * @param sinkDelay the longest random delay of the sink's answers (after it applied the effect)
 * @param minGap the shortest wait between two kills
 * @param maxGap the longest wait between two kills (before waiting for a ready victim)
 * @param margin what a run may take beyond the lease to be taken over after a kill (and the last
 *     run beyond the lease to complete after the last kill): polls, slots busy with other runs, the
 *     claim, and for the last run its remaining stages
 * @param completionTimeout how long to wait for the last runs once the kills are over
 * @param seed the random seed of the kill schedule (victims and gaps)
 */
record CrashSettings(
    int runs,
    int kills,
    int workers,
    int minAlive,
    int concurrency,
    Duration lease,
    Duration heartbeat,
    Duration poll,
    Duration maxPause,
    Duration sinkDelay,
    Duration minGap,
    Duration maxGap,
    Duration margin,
    Duration completionTimeout,
    long seed) {
  static final String PREFIX = "ballast.crash.";

  CrashSettings {
    require(runs >= 1 && runs <= 10_000, "runs must be between 1 and 10000, but was " + runs);
    require(kills >= 0, "kills must be at least 0, but was " + kills);
    require(minAlive >= 1, "minAlive must be at least 1, but was " + minAlive);
    require(
        workers > minAlive,
        "workers must exceed minAlive ("
            + minAlive
            + ") so that one can be killed, but was "
            + workers);
    require(
        heartbeat.compareTo(lease) < 0,
        "heartbeat must be shorter than the lease (" + lease + "), but was " + heartbeat);
    require(
        minGap.compareTo(maxGap) <= 0,
        "minGap must not exceed maxGap (" + maxGap + "), but was " + minGap);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The short version run by the test suite: 200 runs and 20 kills. */
  static CrashSettings quick(long seed) {
    return new CrashSettings(
        200,
        20,
        4,
        2,
        8,
        Duration.ofSeconds(2),
        Duration.ofMillis(500),
        Duration.ofMillis(100),
        Duration.ofMillis(300),
        Duration.ofMillis(150),
        Duration.ofMillis(50),
        Duration.ofMillis(600),
        Duration.ofSeconds(8),
        Duration.ofSeconds(120),
        seed);
  }

  /** {@code defaults} with every value that a {@code ballast.crash.*} system property names. */
  static CrashSettings fromSystemProperties(CrashSettings d) {
    return new CrashSettings(
        Integer.getInteger(PREFIX + "runs", d.runs),
        Integer.getInteger(PREFIX + "kills", d.kills),
        Integer.getInteger(PREFIX + "workers", d.workers),
        Integer.getInteger(PREFIX + "minAlive", d.minAlive),
        Integer.getInteger(PREFIX + "concurrency", d.concurrency),
        millis("lease", d.lease),
        millis("heartbeat", d.heartbeat),
        millis("poll", d.poll),
        millis("maxPause", d.maxPause),
        millis("sinkDelay", d.sinkDelay),
        millis("minGap", d.minGap),
        millis("maxGap", d.maxGap),
        millis("margin", d.margin),
        millis("completionTimeout", d.completionTimeout),
        Long.getLong(PREFIX + "seed", d.seed));
  }

  private static Duration millis(String name, Duration fallback) {
    Long value = Long.getLong(PREFIX + name);
    return value == null ? fallback : Duration.ofMillis(value);
  }
}
