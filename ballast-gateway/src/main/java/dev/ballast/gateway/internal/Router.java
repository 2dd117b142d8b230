package dev.ballast.gateway.internal;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.GroupConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a public model name to the deployments that may serve it, in the order to try them. This
 * is the seam where the resilience chain plugs in: breakers, cooldowns and weights change the order
 * and membership of the route, never the callers.
 */
final class Router {
  private final BallastConfig config;
  private final Map<String, Deployment> deployments;

  Router(BallastConfig config, Map<String, Deployment> deployments) {
    this.config = config;
    this.deployments = deployments;
  }

  Optional<GroupConfig> group(String model) {
    return config.group(model);
  }

  /** The group's deployments in configured order. */
  List<Deployment> route(GroupConfig group) {
    return group.deployments().stream().map(deployments::get).toList();
  }
}
