package dev.ballast.core.config;

/**
 * {@code tenants.NAME.limits}: what one tenant may use, on all nodes sharing the store together
 * (see {@code docs/limits.md}). Zero means unlimited for the three limits.
 *
 * @param requestsPerMinute calls admitted in any sliding minute
 * @param tokensPerMinute input plus output tokens in any sliding minute (input counted locally
 *     before the call, output added when the answer arrives)
 * @param budgetUsd total spend from the price table, kept in the store across restarts, after which
 *     calls are refused with 402
 * @param reserveOutputTokens the output tokens reserved against the budget for a call that states
 *     no {@code max_tokens}
 * @param maxQueuedRuns pipeline runs of the tenant queued or waiting at once; 0 for no cap
 * @param minPipelinePriority the lowest priority a submitted pipeline run may ask for
 * @param maxPipelinePriority the highest priority a submitted pipeline run may ask for
 */
public record TenantLimits(
    int requestsPerMinute,
    int tokensPerMinute,
    double budgetUsd,
    int reserveOutputTokens,
    int maxQueuedRuns,
    int minPipelinePriority,
    int maxPipelinePriority) {
  public static final int DEFAULT_RESERVE_OUTPUT_TOKENS = 1024;
  public static final int DEFAULT_MAX_QUEUED_RUNS = 1000;
  public static final int DEFAULT_MIN_PIPELINE_PRIORITY = -100;
  public static final int DEFAULT_MAX_PIPELINE_PRIORITY = 0;

  /** No limit, no queue cap, the whole priority range: the system tenant's. */
  public static final TenantLimits UNLIMITED =
      new TenantLimits(0, 0, 0, DEFAULT_RESERVE_OUTPUT_TOKENS, 0, -1000, 1000);

  public TenantLimits {
    if (minPipelinePriority > maxPipelinePriority) {
      throw new IllegalArgumentException(
          "pipeline_priority.min must not exceed pipeline_priority.max, but was "
              + minPipelinePriority
              + " > "
              + maxPipelinePriority);
    }
  }

  /** The three limits with the defaults of everything else. */
  public static TenantLimits of(int requestsPerMinute, int tokensPerMinute, double budgetUsd) {
    return new TenantLimits(
        requestsPerMinute,
        tokensPerMinute,
        budgetUsd,
        DEFAULT_RESERVE_OUTPUT_TOKENS,
        DEFAULT_MAX_QUEUED_RUNS,
        DEFAULT_MIN_PIPELINE_PRIORITY,
        DEFAULT_MAX_PIPELINE_PRIORITY);
  }

  /** Whether no request, token or budget limit applies. */
  public boolean unlimited() {
    return requestsPerMinute == 0 && tokensPerMinute == 0 && budgetUsd == 0;
  }

  /** {@code priority} moved into {@code [minPipelinePriority, maxPipelinePriority]}. */
  public int clampPipelinePriority(int priority) {
    return Math.max(minPipelinePriority, Math.min(maxPipelinePriority, priority));
  }
}
