package dev.ballast.core.config;

/**
 * {@code tenants.NAME.limits}: what one virtual-key holder may use. Zero means unlimited.
 *
 * @param requestsPerMinute calls admitted in any sliding minute
 * @param tokensPerMinute input plus output tokens in any sliding minute (input counted locally
 *     before the call, output added when the answer arrives)
 * @param budgetUsd total spend from the price table since this node started, after which calls are
 *     refused with 402
 */
public record TenantLimits(int requestsPerMinute, int tokensPerMinute, double budgetUsd) {
  public static final TenantLimits UNLIMITED = new TenantLimits(0, 0, 0);

  public boolean unlimited() {
    return requestsPerMinute == 0 && tokensPerMinute == 0 && budgetUsd == 0;
  }
}
