package dev.ballast.core.config;

import java.util.List;

/**
 * {@code groups.NAME}: a public model name and the deployments that serve it, in order of
 * preference.
 *
 * @param fallbacks groups whose deployments are tried, in order, after this group's own
 * @param largerContext the group a request goes to when it does not fit this group's context window
 *     ({@code context_length_exceeded}), or null
 */
public record GroupConfig(
    String name,
    List<String> deployments,
    String description,
    List<String> fallbacks,
    String largerContext) {
  public GroupConfig {
    deployments = List.copyOf(deployments);
    fallbacks = List.copyOf(fallbacks);
  }
}
