package dev.ballast.calls.internal;

import dev.ballast.calls.Deployment;
import dev.ballast.calls.Resilience;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.config.LoadStrategy;
import dev.ballast.resilience.DeploymentHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Load spreading within a group: orders the group's own deployments on a call's route by the
 * group's {@link LoadStrategy}. Deployments that can take a call now (breaker not open, not cooling
 * down) come first, ordered by the strategy; then those that could but have lately failed at least
 * a quarter of their calls ({@link DeploymentHealth#failingOften}, whatever the strategy, {@code
 * ordered} included); those that cannot follow in their configured order (the attempt loop skips
 * them, but the route stays complete); the fallback groups' deployments keep their place at the
 * end. Thread-safe; the weighted strategy's state is this node's.
 */
public final class SpreadLoad {
  private final Resilience resilience;
  private final Map<String, SmoothWeights> weighted = new ConcurrentHashMap<>();

  public SpreadLoad(Resilience resilience) {
    this.resilience = resilience;
  }

  /**
   * The route with the group's own deployments (its first entries) in the order to try them.
   *
   * @param route the group's deployments in configured order, then its fallbacks'
   */
  public List<Deployment> order(GroupConfig group, List<Deployment> route) {
    int own = (int) group.deployments().stream().distinct().count();
    List<Deployment> ownRoute = route.subList(0, Math.min(own, route.size()));
    boolean anyFailing =
        ownRoute.stream().anyMatch(d -> resilience.health(d.name()).failingOften());
    if (group.strategy() == LoadStrategy.ORDERED && !anyFailing) {
      return route;
    }
    List<Deployment> available = new ArrayList<>();
    List<Deployment> failing = new ArrayList<>();
    List<Deployment> unavailable = new ArrayList<>();
    for (Deployment d : ownRoute) {
      DeploymentHealth health = resilience.health(d.name());
      if (!health.available()) {
        unavailable.add(d);
      } else if (health.failingOften()) {
        failing.add(d);
      } else {
        available.add(d);
      }
    }
    List<Deployment> ordered =
        switch (group.strategy()) {
          case ORDERED -> available;
          case WEIGHTED -> weightedFirst(group, available);
          case LEAST_BUSY -> sorted(available, d -> (long) resilience.bulkhead(d.name()).inUse());
          case LATENCY ->
              // A deployment without enough samples counts as fastest, so it gets measured.
              sorted(
                  available,
                  d -> resilience.typicalFirstToken(d.name()).orElse(Duration.ZERO).toNanos());
        };
    List<Deployment> result = new ArrayList<>(ordered);
    // Still tried, after the healthy ones: with a breaker that does not open, a deployment failing
    // often would otherwise take every call's first attempt and spend the retry budget.
    result.addAll(failing);
    result.addAll(unavailable);
    result.addAll(route.subList(Math.min(own, route.size()), route.size()));
    return List.copyOf(result);
  }

  /** Stable: deployments with equal keys keep their configured order. */
  private static List<Deployment> sorted(
      List<Deployment> deployments, java.util.function.ToLongFunction<Deployment> key) {
    List<Deployment> copy = new ArrayList<>(deployments);
    copy.sort(Comparator.comparingLong(key));
    return copy;
  }

  /** The weighted pick first, the others after it in their configured order. */
  private List<Deployment> weightedFirst(GroupConfig group, List<Deployment> available) {
    if (available.size() < 2) {
      return available;
    }
    Map<String, Integer> weights = new HashMap<>();
    for (Deployment d : available) {
      weights.put(d.name(), group.weight(d.name()));
    }
    String pick =
        weighted.computeIfAbsent(group.name(), g -> new SmoothWeights()).next(available, weights);
    if (pick == null) {
      return available;
    }
    List<Deployment> result = new ArrayList<>(available.size());
    available.stream().filter(d -> d.name().equals(pick)).forEach(result::add);
    available.stream().filter(d -> !d.name().equals(pick)).forEach(result::add);
    return result;
  }

  /**
   * Smooth weighted round robin (as nginx spreads upstreams): every pick adds each candidate's
   * weight to its running score, takes the highest score and subtracts the total from it. Over any
   * run of picks each deployment's share follows its weight, interleaved rather than in bursts,
   * with no randomness to make tests or replays guess.
   */
  private static final class SmoothWeights {
    private final Map<String, Long> scores = new HashMap<>();

    synchronized String next(List<Deployment> candidates, Map<String, Integer> weights) {
      long total = 0;
      String best = null;
      long bestScore = Long.MIN_VALUE;
      for (Deployment d : candidates) {
        int weight = weights.get(d.name());
        if (weight <= 0) {
          continue;
        }
        total += weight;
        long score = scores.merge(d.name(), (long) weight, Long::sum);
        if (score > bestScore) {
          bestScore = score;
          best = d.name();
        }
      }
      if (best != null) {
        scores.merge(best, -total, Long::sum);
      }
      return best;
    }
  }
}
