package dev.ballast.calls;

import dev.ballast.core.config.AdaptiveFirstTokenConfig;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ContinuationMode;
import dev.ballast.core.config.DeploymentConfig;
import dev.ballast.core.config.ResilienceConfig;
import dev.ballast.resilience.Backoff;
import dev.ballast.resilience.BackoffConfig;
import dev.ballast.resilience.BreakerConfig;
import dev.ballast.resilience.BulkheadConfig;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.DeploymentHealth;
import dev.ballast.resilience.LatencyWindow;
import dev.ballast.resilience.PriorityBulkhead;
import dev.ballast.resilience.RetryBudgetConfig;
import dev.ballast.resilience.RetryBudgets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resilience policies of one gateway: a breaker with 429 cooldown and a priority bulkhead per
 * deployment, retry budgets per deployment and global, backoff, and the request deadline. Built
 * once from the configuration; thread-safe.
 */
public final class Resilience {
  private static final Logger LOG = LoggerFactory.getLogger(Resilience.class);
  // Recent enough to follow a deployment that slows down, enough for a stable high quantile.
  private static final int FIRST_TOKEN_SAMPLES = 100;

  // Replaced on a reload; per-deployment state is kept for deployments whose settings stayed.
  private volatile ResilienceConfig config;
  private final Clock clock;
  // Never shrink: a call in flight may still ask for a deployment a reload removed.
  private final Map<String, DeploymentHealth> health = new ConcurrentHashMap<>();
  private final Map<String, PriorityBulkhead> bulkheads = new ConcurrentHashMap<>();
  private final Map<String, LatencyWindow> firstTokens = new ConcurrentHashMap<>();
  private final Map<String, DeploymentConfig> deployments = new ConcurrentHashMap<>();
  private volatile Set<String> current = Set.of();
  private volatile RetryBudgets budgets;
  private volatile Backoff backoff;
  // Deployments that answered a prefill with a 400 saying they do not take one: asked by
  // instruction from then on (in this node's memory, since its start).
  private final Set<String> prefillRejected = ConcurrentHashMap.newKeySet();

  /** Thread-safe; {@link #reconfigure} may run while calls use the policies. */
  public Resilience(BallastConfig ballast, Clock clock) {
    this.clock = clock;
    reconfigure(ballast);
  }

  /**
   * Takes over a reloaded configuration's policies. A deployment still pointing at the same
   * provider and model keeps its breaker, bulkhead and learned first-token times; one pointed
   * elsewhere starts afresh; a changed {@code max_concurrent} gets a new bulkhead (calls holding a
   * slot of the old one release it there); changed breaker settings start every breaker afresh; the
   * retry budgets and backoff are rebuilt when their settings changed.
   */
  public synchronized void reconfigure(BallastConfig ballast) {
    ResilienceConfig previous = config;
    ResilienceConfig next = ballast.resilience();
    BreakerConfig breaker = breakerConfig(next);
    boolean breakerChanged = previous == null || !breaker.equals(breakerConfig(previous));
    for (DeploymentConfig d : ballast.deployments().values()) {
      DeploymentConfig before = deployments.put(d.name(), d);
      // Another provider or model is another upstream: what was learned of the old one is moot.
      boolean repointed =
          before == null
              || !before.provider().equals(d.provider())
              || !before.model().equals(d.model());
      if (breakerChanged || repointed) {
        health.put(d.name(), health(d, breaker));
      }
      if (repointed) {
        firstTokens.put(d.name(), new LatencyWindow(FIRST_TOKEN_SAMPLES));
      }
      if (before == null || before.maxConcurrent() != d.maxConcurrent()) {
        bulkheads.put(
            d.name(),
            PriorityBulkhead.create(
                d.name(),
                BulkheadConfig.builder().maxConcurrentCalls(d.maxConcurrent()).build(),
                clock));
      }
    }
    if (previous == null
        || previous.retryBudgetRatio() != next.retryBudgetRatio()
        || previous.retryBudgetFloorPerSecond() != next.retryBudgetFloorPerSecond()) {
      RetryBudgetConfig budget =
          RetryBudgetConfig.builder()
              .budgetRatio(next.retryBudgetRatio())
              .minRetriesPerSecond(next.retryBudgetFloorPerSecond())
              .build();
      this.budgets = new RetryBudgets(budget, budget, clock);
    }
    if (previous == null
        || !previous.backoffBase().equals(next.backoffBase())
        || !previous.backoffCap().equals(next.backoffCap())) {
      this.backoff =
          Backoff.create(
              BackoffConfig.builder().base(next.backoffBase()).cap(next.backoffCap()).build());
    }
    this.current = Set.copyOf(ballast.deployments().keySet());
    this.config = next;
  }

  private DeploymentHealth health(DeploymentConfig d, BreakerConfig breaker) {
    DeploymentHealth h = DeploymentHealth.create(d.name(), breaker, clock);
    // Transitions are rare and operationally important: always logged. The run whose attempt
    // caused one hears of it through the listener its permit was taken with.
    h.onTransition(
        t ->
            LOG.info(
                "breaker {}: {} -> {}", t.deployment(), t.from().wireName(), t.to().wireName()));
    return h;
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

  /** A streamed answer's time to first token on {@code deployment}, for its learned timeout. */
  public void recordFirstToken(String deployment, Duration timeToFirstToken) {
    LatencyWindow window = firstTokens.get(deployment);
    if (window != null) {
      window.record(timeToFirstToken);
    }
  }

  /**
   * The first-token timeout learned for {@code deployment} ({@code
   * resilience.adaptive_first_token}): a high quantile of its recent times to first token times a
   * factor, at least the floor and at most the configured {@code timeouts.first_token}; empty while
   * too few answers were seen or when learning is disabled.
   */
  public Optional<Duration> learnedFirstToken(String deployment) {
    AdaptiveFirstTokenConfig adaptive = config.adaptiveFirstToken();
    LatencyWindow window = firstTokens.get(deployment);
    if (!adaptive.enabled() || window == null) {
      return Optional.empty();
    }
    Duration configured = deployments.get(deployment).timeouts().firstToken();
    return window
        .quantile(adaptive.quantile(), adaptive.minSamples())
        .map(q -> Duration.ofNanos((long) (q.toNanos() * adaptive.factor())))
        .map(t -> t.compareTo(adaptive.floor()) < 0 ? adaptive.floor() : t)
        .map(t -> t.compareTo(configured) > 0 ? configured : t);
  }

  /**
   * The median of {@code deployment}'s recent times to first token (the samples the adaptive
   * first-token timeout learns from); empty until {@code adaptive_first_token.min_samples} were
   * seen.
   */
  public Optional<Duration> typicalFirstToken(String deployment) {
    LatencyWindow window = firstTokens.get(deployment);
    return window == null
        ? Optional.empty()
        : window.quantile(0.5, config.adaptiveFirstToken().minSamples());
  }

  /**
   * How a deployment is asked to continue a stream: its configured {@code continuation}, except
   * that a prefill it rejected once is asked by instruction from then on.
   */
  public ContinuationMode continuation(String deployment) {
    DeploymentConfig d = deployments.get(deployment);
    ContinuationMode configured = d == null ? ContinuationMode.NONE : d.continuation();
    return configured == ContinuationMode.PREFILL && prefillRejected.contains(deployment)
        ? ContinuationMode.INSTRUCTION
        : configured;
  }

  /** Notes that a deployment answered a prefill with a 400 saying it takes none. */
  public void prefillRejected(String deployment) {
    if (prefillRejected.add(deployment)) {
      LOG.info("deployment {} rejects an assistant prefill: continued by instruction", deployment);
    }
  }

  public int maxRetriesPerDeployment() {
    return config.maxRetriesPerDeployment();
  }

  /** The breakers of the configured deployments (those a reload removed are not among them). */
  public Map<String, DeploymentHealth> allHealth() {
    Map<String, DeploymentHealth> configured = new HashMap<>();
    for (String name : current) {
      configured.put(name, health.get(name));
    }
    return configured;
  }
}
