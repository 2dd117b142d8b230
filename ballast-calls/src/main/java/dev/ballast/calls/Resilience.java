package dev.ballast.calls;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.DeploymentConfig;
import dev.ballast.core.config.ResilienceConfig;
import dev.ballast.resilience.Backoff;
import dev.ballast.resilience.BackoffConfig;
import dev.ballast.resilience.BreakerConfig;
import dev.ballast.resilience.BulkheadConfig;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.DeploymentHealth;
import dev.ballast.resilience.PriorityBulkhead;
import dev.ballast.resilience.RetryBudgetConfig;
import dev.ballast.resilience.RetryBudgets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resilience policies of one gateway: a breaker with 429 cooldown and a priority bulkhead per
 * deployment, retry budgets per deployment and global, backoff, and the request deadline. Built
 * once from the configuration; thread-safe.
 */
public final class Resilience {
  private static final Logger LOG = LoggerFactory.getLogger(Resilience.class);

  private final ResilienceConfig config;
  private final Clock clock;
  private final Map<String, DeploymentHealth> health = new HashMap<>();
  private final Map<String, PriorityBulkhead> bulkheads = new HashMap<>();
  private final RetryBudgets budgets;
  private final Backoff backoff;

  public Resilience(BallastConfig ballast, Clock clock) {
    this.config = ballast.resilience();
    this.clock = clock;
    BreakerConfig breaker = breakerConfig(config);
    for (DeploymentConfig d : ballast.deployments().values()) {
      DeploymentHealth h = DeploymentHealth.create(d.name(), breaker, clock);
      // Transitions are rare and operationally important: always logged. The run whose attempt
      // caused one hears of it through the listener its permit was taken with.
      h.onTransition(
          t ->
              LOG.info(
                  "breaker {}: {} -> {}", t.deployment(), t.from().wireName(), t.to().wireName()));
      health.put(d.name(), h);
      bulkheads.put(
          d.name(),
          PriorityBulkhead.create(
              d.name(),
              BulkheadConfig.builder().maxConcurrentCalls(d.maxConcurrent()).build(),
              clock));
    }
    RetryBudgetConfig budget =
        RetryBudgetConfig.builder()
            .budgetRatio(config.retryBudgetRatio())
            .minRetriesPerSecond(config.retryBudgetFloorPerSecond())
            .build();
    this.budgets = new RetryBudgets(budget, budget, clock);
    this.backoff =
        Backoff.create(
            BackoffConfig.builder().base(config.backoffBase()).cap(config.backoffCap()).build());
  }

  /**
   * The breaker every deployment gets, from {@code resilience.breaker}; pipeline stage dependencies
   * get the same one, so a model group and a webhook trip on the same terms.
   */
  public static BreakerConfig breakerConfig(ResilienceConfig config) {
    return BreakerConfig.builder()
        .window(
            BreakerConfig.WindowType.COUNT_BASED,
            config.breakerWindow(),
            Math.max(1, config.breakerWindow() / 2))
        .failureRateThreshold(config.breakerFailureRate())
        .slowCalls(config.slowCallRate(), config.slowCallDuration())
        .waitInOpenState(config.breakerOpenWait())
        .halfOpenProbes(config.breakerHalfOpenProbes())
        .cooldown(config.cooldown(), Duration.ofMinutes(5))
        .build();
  }

  /**
   * The request's deadline: the configured default, or what the client asked for up to the maximum.
   */
  public Deadline deadline(Duration requested) {
    Duration wanted = requested == null ? config.deadline() : requested;
    if (wanted.compareTo(config.maxDeadline()) > 0) {
      wanted = config.maxDeadline();
    }
    return Deadline.after(wanted, clock);
  }

  public DeploymentHealth health(String deployment) {
    return health.get(deployment);
  }

  public PriorityBulkhead bulkhead(String deployment) {
    return bulkheads.get(deployment);
  }

  public RetryBudgets budgets() {
    return budgets;
  }

  public Backoff backoff() {
    return backoff;
  }

  /**
   * The least time left on the deadline for an attempt to be sent upstream ({@code
   * resilience.min_attempt_time}, default 50 ms).
   */
  public Duration minAttemptTime() {
    return config.minAttemptTime();
  }

  /**
   * The longest wait for a rate-limited deployment that is worth it ({@code
   * resilience.max_retry_after_wait}, default 2 s).
   */
  public Duration maxRetryAfterWait() {
    return config.maxRetryAfterWait();
  }

  /** How long a 429 without Retry-After cools its deployment down ({@code resilience.cooldown}). */
  public Duration cooldown() {
    return config.cooldown();
  }

  public int maxRetriesPerDeployment() {
    return config.maxRetriesPerDeployment();
  }

  public Map<String, DeploymentHealth> allHealth() {
    return health;
  }
}
