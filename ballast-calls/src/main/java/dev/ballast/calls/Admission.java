package dev.ballast.calls;

import dev.ballast.calls.TenantLimitExceededException.Limit;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.config.TenantLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenant limits, enforced before any upstream call: requests and tokens per sliding minute and a
 * spend budget. Counts are per node and start at zero when the node starts; the journal keeps the
 * exact accounting. Thread-safe: one small lock per tenant.
 */
public final class Admission {
  private final Clock clock;
  private final Map<String, Meter> meters = new ConcurrentHashMap<>();

  public Admission(Clock clock) {
    this.clock = clock;
  }

  /**
   * Admits a call or refuses it.
   *
   * @throws TenantLimitExceededException over a per-minute limit, with the time until it frees up
   * @throws BudgetExceededException once the budget is spent
   * @param inputTokens the request's input tokens counted locally
   */
  public void admit(TenantConfig tenant, int inputTokens) {
    TenantLimits limits = tenant.limits();
    if (limits.unlimited()) {
      return;
    }
    meters
        .computeIfAbsent(tenant.name(), n -> new Meter())
        .admit(tenant, limits, inputTokens, clock.millis());
  }

  /** Adds what the call used beyond its admitted input: output tokens and cost. */
  public void settle(TenantConfig tenant, int outputTokens, double cost) {
    if (tenant.limits().unlimited()) {
      return;
    }
    meters
        .computeIfAbsent(tenant.name(), n -> new Meter())
        .settle(outputTokens, cost, clock.millis());
  }

  /** A sliding minute in one-second buckets, plus the spend so far. */
  private static final class Meter {
    private static final int BUCKETS = 60;
    private final long[] second = new long[BUCKETS];
    private final long[] requests = new long[BUCKETS];
    private final long[] tokens = new long[BUCKETS];
    private double spent;

    synchronized void admit(
        TenantConfig tenant, TenantLimits limits, int inputTokens, long nowMillis) {
      long now = nowMillis / 1000;
      if (limits.budgetUsd() > 0 && spent >= limits.budgetUsd()) {
        throw new BudgetExceededException(tenant.name(), limits.budgetUsd());
      }
      long usedRequests = 0;
      long usedTokens = 0;
      for (int i = 0; i < BUCKETS; i++) {
        if (now - second[i] < BUCKETS) {
          usedRequests += requests[i];
          usedTokens += tokens[i];
        }
      }
      if (limits.requestsPerMinute() > 0 && usedRequests + 1 > limits.requestsPerMinute()) {
        throw limited(tenant, Limit.REQUESTS_PER_MINUTE, limits.requestsPerMinute(), now);
      }
      if (limits.tokensPerMinute() > 0 && usedTokens + inputTokens > limits.tokensPerMinute()) {
        throw limited(tenant, Limit.TOKENS_PER_MINUTE, limits.tokensPerMinute(), now);
      }
      int b = bucket(now);
      requests[b]++;
      tokens[b] += inputTokens;
    }

    synchronized void settle(int outputTokens, double cost, long nowMillis) {
      long now = nowMillis / 1000;
      tokens[bucket(now)] += outputTokens;
      spent += cost;
    }

    private int bucket(long now) {
      int b = (int) (now % BUCKETS);
      if (second[b] != now) {
        second[b] = now;
        requests[b] = 0;
        tokens[b] = 0;
      }
      return b;
    }

    private TenantLimitExceededException limited(
        TenantConfig tenant, Limit limit, int value, long now) {
      // The oldest second still in the window frees up first.
      long oldest = now;
      for (int i = 0; i < BUCKETS; i++) {
        if (now - second[i] < BUCKETS && (requests[i] > 0 || tokens[i] > 0)) {
          oldest = Math.min(oldest, second[i]);
        }
      }
      long retryAfter = Math.max(1, oldest + BUCKETS - now);
      return new TenantLimitExceededException(
          tenant.name(), limit, value, Duration.ofSeconds(retryAfter));
    }
  }
}
