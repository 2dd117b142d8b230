package dev.ballast.resilience;

import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One retry budget per deployment plus one global budget. A retry needs budget from both: a single
 * failing deployment cannot spend the whole gateway's allowance, and many deployments failing at
 * once cannot add up to more than the global share.
 *
 * <p>Thread-safe. Per-deployment budgets are created on first use.
 */
public final class RetryBudgets {
  private final RetryBudgetConfig perDeployment;
  private final InstantSource clock;
  private final RetryBudget global;
  private final ConcurrentMap<String, RetryBudget> deployments = new ConcurrentHashMap<>();

  public RetryBudgets(
      RetryBudgetConfig perDeployment, RetryBudgetConfig global, InstantSource clock) {
    this.perDeployment = Objects.requireNonNull(perDeployment, "perDeployment");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.global = RetryBudget.create(Objects.requireNonNull(global, "global"), clock);
  }

  /** Records a client request's first attempt, which goes to {@code deployment}. */
  public void recordRequest(String deployment) {
    forDeployment(deployment).recordRequest();
    global.recordRequest();
  }

  /**
   * Acquires one retry from both the deployment's budget and the global budget, or from neither.
   *
   * @param deployment the deployment the retry (or failover attempt) would go to
   */
  public boolean tryAcquire(String deployment) {
    RetryBudget local = forDeployment(deployment);
    if (!local.tryAcquireRetry()) {
      return false;
    }
    if (global.tryAcquireRetry()) {
      return true;
    }
    // The global budget said no, so the deployment's grant must not be spent either.
    local.releaseRetry();
    return false;
  }

  /** Gives back a retry acquired by {@link #tryAcquire(String)} that was never attempted. */
  public void release(String deployment) {
    forDeployment(deployment).releaseRetry();
    global.releaseRetry();
  }

  public RetryBudget global() {
    return global;
  }

  public RetryBudget forDeployment(String deployment) {
    Objects.requireNonNull(deployment, "deployment");
    return deployments.computeIfAbsent(deployment, d -> RetryBudget.create(perDeployment, clock));
  }
}
