package dev.ballast.core.config;

import java.time.Duration;

/**
 * {@code resilience}: the request path's policies, shared by every deployment.
 *
 * @param deadline the default time a request may take, all attempts, backoffs and fallbacks
 *     included; a client may ask for less (or more, up to {@code maxDeadline}) with the {@code
 *     x-ballast-deadline-ms} header
 * @param retryBudgetRatio retries and failover attempts allowed as a share of recent requests
 * @param retryBudgetFloorPerSecond retries always allowed per second, so a quiet system can retry
 * @param backoffBase the first retry's backoff ceiling (full jitter below it)
 * @param backoffCap the largest backoff ceiling
 * @param breakerFailureRate percentage of failed calls in the window that opens a breaker
 * @param breakerWindow calls in the breaker's sliding window
 * @param breakerOpenWait how long a breaker stays open before half-open probes
 * @param breakerHalfOpenProbes calls let through while half-open
 * @param slowCallDuration calls slower than this count as slow
 * @param slowCallRate percentage of slow calls that opens a breaker
 * @param cooldown how long a deployment rests after a 429 without Retry-After
 * @param maxRetriesPerDeployment retries of one request on the same deployment (budget and deadline
 *     permitting) before it fails over
 * @param idempotencyTtl how long an {@code Idempotency-Key}'s answer is kept
 * @param minAttemptTime the least time left on the deadline for an attempt to be sent upstream at
 *     all, checked before every attempt and again after waiting for a bulkhead slot: a call whose
 *     wait ate its deadline is the gateway's overload, not the deployment's timeout
 * @param maxRetryAfterWait the longest {@code Retry-After} (or, without one, {@code cooldown}) of a
 *     429 worth waiting for on the same deployment, deadline permitting; a longer one fails over
 * @param adaptiveFirstToken first-token timeouts learned per deployment
 */
public record ResilienceConfig(
    Duration deadline,
    Duration maxDeadline,
    double retryBudgetRatio,
    int retryBudgetFloorPerSecond,
    Duration backoffBase,
    Duration backoffCap,
    int breakerFailureRate,
    int breakerWindow,
    Duration breakerOpenWait,
    int breakerHalfOpenProbes,
    Duration slowCallDuration,
    int slowCallRate,
    Duration cooldown,
    int maxRetriesPerDeployment,
    Duration idempotencyTtl,
    Duration minAttemptTime,
    Duration maxRetryAfterWait,
    AdaptiveFirstTokenConfig adaptiveFirstToken) {

  public static final ResilienceConfig DEFAULT =
      new ResilienceConfig(
          Duration.ofSeconds(60),
          Duration.ofMinutes(10),
          0.2,
          3,
          Duration.ofMillis(100),
          Duration.ofSeconds(5),
          50,
          20,
          Duration.ofSeconds(10),
          2,
          Duration.ofSeconds(30),
          80,
          Duration.ofSeconds(5),
          1,
          Duration.ofHours(24),
          Duration.ofMillis(50),
          Duration.ofSeconds(2),
          AdaptiveFirstTokenConfig.DEFAULT);
}
