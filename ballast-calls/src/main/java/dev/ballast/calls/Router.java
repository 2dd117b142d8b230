package dev.ballast.calls;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.GroupConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a public model name to the deployments that may serve it, in the order to try them: the
 * group's own deployments, then those of its fallback groups (each deployment once). Open breakers
 * and cooling deployments are skipped by the attempt loop, not here, so the route itself is a
 * stable, journaled fact of the run.
 */
public final class Router {
  private final BallastConfig config;
  private final Map<String, Deployment> deployments;

  public Router(BallastConfig config, Map<String, Deployment> deployments) {
    this.config = config;
    this.deployments = deployments;
  }

  public Optional<GroupConfig> group(String model) {
    return config.group(model);
  }

  public List<Deployment> route(GroupConfig group) {
    Set<String> names = new LinkedHashSet<>(group.deployments());
    collectFallbacks(group, names, new LinkedHashSet<>(List.of(group.name())));
    List<Deployment> route = new ArrayList<>(names.size());
    names.forEach(n -> route.add(deployments.get(n)));
    return route;
  }

  private void collectFallbacks(GroupConfig group, Set<String> names, Set<String> visited) {
    for (String fallback : group.fallbacks()) {
      if (visited.add(fallback)) {
        GroupConfig g = config.group(fallback).orElseThrow();
        names.addAll(g.deployments());
        collectFallbacks(g, names, visited);
      }
    }
  }
}
