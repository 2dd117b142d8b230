package dev.ballast.core.config;

import java.util.List;

/**
 * {@code groups.NAME}: a public model name and the deployments that serve it, in order of
 * preference.
 */
public record GroupConfig(String name, List<String> deployments, String description) {
  public GroupConfig {
    deployments = List.copyOf(deployments);
  }
}
