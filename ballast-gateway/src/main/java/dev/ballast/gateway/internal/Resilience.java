package dev.ballast.gateway.internal;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.DeploymentConfig;
import dev.ballast.core.config.ResilienceConfig;
import dev.ballast.resilience.Backoff;
import dev.ballast.resilience.BackoffConfig;
import dev.ballast.resilience.BreakerConfig;
import dev.ballast.resilience.BulkheadConfig;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.DeploymentHealth;
import dev.ballast.resilience.DeploymentHealth.Transition;
import dev.ballast.resilience.PriorityBulkhead;
import dev.ballast.resilience.RetryBudgetConfig;
import dev.ballast.resilience.RetryBudgets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resilience policies of one gateway: a breaker with 429 cooldown and a priority bulkhead per
 * deployment, retry budgets per deployment and global, backoff, and the request deadline. Built
 * once from the configuration; thread-safe.
 */
final class Resilience {
  private static final Logger LOG = LoggerFactory.getLogger(Resilience.class);

  // Breakers change state synchronously inside an attempt (a failure trips one, the next permit
  // request half-opens it), so the thread's current run is the run that caused the change.
  private static final ThreadLocal<Consumer<Transition>> CURRENT_RUN = new ThreadLocal<>();

  private final ResilienceConfig config;
  private final Clock clock;
  private final Map<String, DeploymentHealth> health = new HashMap<>();
  private final Map<String, PriorityBulkhead> bulkheads = new HashMap<>();
  private final RetryBudgets budgets;
  private final Backoff backoff;

  Resilience(BallastConfig ballast, Clock clock) {
    this.config = ballast.resilience();
    this.clock = clock;
    BreakerConfig breaker = breakerConfig(config);
    for (DeploymentConfig d : ballast.deployments().values()) {
      DeploymentHealth h = DeploymentHealth.create(d.name(), breaker, clock);
      // Transitions are rare and operationally important: always logged.
      h.onTransition(
          t -> {
            LOG.info(
                "breaker {}: {} -> {}", t.deployment(), t.from().wireName(), t.to().wireName());
            Consumer<Transition> run = CURRENT_RUN.get();
            if (run != null) {
              run.accept(t);
            }
          });
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
  static BreakerConfig breakerConfig(ResilienceConfig config) {
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
  Deadline deadline(Duration requested) {
    Duration wanted = requested == null ? config.deadline() : requested;
    if (wanted.compareTo(config.maxDeadline()) > 0) {
      wanted = config.maxDeadline();
    }
    return Deadline.after(wanted, clock);
  }

  /** Runs {@code work} with breaker transitions reported to {@code listener}. */
  <T> T observingTransitions(Consumer<Transition> listener, java.util.function.Supplier<T> work) {
    Consumer<Transition> previous = CURRENT_RUN.get();
    CURRENT_RUN.set(listener);
    try {
      return work.get();
    } finally {
      CURRENT_RUN.set(previous);
    }
  }

  DeploymentHealth health(String deployment) {
    return health.get(deployment);
  }

  PriorityBulkhead bulkhead(String deployment) {
    return bulkheads.get(deployment);
  }

  RetryBudgets budgets() {
    return budgets;
  }

  Backoff backoff() {
    return backoff;
  }

  int maxRetriesPerDeployment() {
    return config.maxRetriesPerDeployment();
  }

  Map<String, DeploymentHealth> allHealth() {
    return health;
  }
}
