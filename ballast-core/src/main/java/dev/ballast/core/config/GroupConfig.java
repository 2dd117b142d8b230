package dev.ballast.core.config;

import java.util.List;
import java.util.Map;

/**
 * {@code groups.NAME}: a public model name and the deployments that serve it, in order of
 * preference.
 *
 * @param fallbacks groups whose deployments are tried, in order, after this group's own
 * @param largerContext the group a request goes to when it does not fit this group's context window
 *     ({@code context_length_exceeded}), or null
 * @param contextWindow the tokens the group's models accept (prompt and answer), which context
 *     assembly packs prompts into; {@value #DEFAULT_CONTEXT_WINDOW} when the config does not say
 * @param checks what every answer of the group must look like ({@code checks}); {@link
 *     OutputChecks#NONE} when the config says nothing. They judge every answer to a call for this
 *     group, from its own deployments and its fallback groups' alike
 * @param continueStreams whether a stream that fails after part of the answer reached the client is
 *     continued on the same or the next deployment ({@code continue_streams}, default true)
 * @param strategy which of the group's own deployments a call tries first ({@code strategy},
 *     default {@link LoadStrategy#ORDERED})
 * @param weights the {@link LoadStrategy#WEIGHTED} share of each of the group's deployments ({@code
 *     weights}); a deployment not named weighs 1
 */
public record GroupConfig(
    String name,
    List<String> deployments,
    String description,
    List<String> fallbacks,
    String largerContext,
    int contextWindow,
    OutputChecks checks,
    boolean continueStreams,
    LoadStrategy strategy,
    Map<String, Integer> weights) {
  /** The context window assumed for a group that does not state one. */
  public static final int DEFAULT_CONTEXT_WINDOW = 8192;

  public GroupConfig {
    strategy = strategy == null ? LoadStrategy.ORDERED : strategy;
    weights = weights == null ? Map.of() : Map.copyOf(weights);
    deployments = List.copyOf(deployments);
    fallbacks = List.copyOf(fallbacks);
    checks = checks == null ? OutputChecks.NONE : checks;
    if (contextWindow <= 0) {
      throw new IllegalArgumentException(
          "contextWindow must be positive, but was " + contextWindow);
    }
  }

  /** A group whose deployments are tried in their configured order. */
  public GroupConfig(
      String name,
      List<String> deployments,
      String description,
      List<String> fallbacks,
      String largerContext,
      int contextWindow,
      OutputChecks checks,
      boolean continueStreams) {
    this(
        name,
        deployments,
        description,
        fallbacks,
        largerContext,
        contextWindow,
        checks,
        continueStreams,
        LoadStrategy.ORDERED,
        Map.of());
  }

  /** The weight of {@code deployment} under {@link LoadStrategy#WEIGHTED}; 1 when not named. */
  public int weight(String deployment) {
    return weights.getOrDefault(deployment, 1);
  }

  /** A group that continues its streams. */
  public GroupConfig(
      String name,
      List<String> deployments,
      String description,
      List<String> fallbacks,
      String largerContext,
      int contextWindow,
      OutputChecks checks) {
    this(name, deployments, description, fallbacks, largerContext, contextWindow, checks, true);
  }

  public GroupConfig(
      String name,
      List<String> deployments,
      String description,
      List<String> fallbacks,
      String largerContext) {
    this(name, deployments, description, fallbacks, largerContext, DEFAULT_CONTEXT_WINDOW);
  }

  /** A group without output checks. */
  public GroupConfig(
      String name,
      List<String> deployments,
      String description,
      List<String> fallbacks,
      String largerContext,
      int contextWindow) {
    this(
        name, deployments, description, fallbacks, largerContext, contextWindow, OutputChecks.NONE);
  }
}
