package dev.ballast.core.config;

import java.util.List;

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
 */
public record GroupConfig(
    String name,
    List<String> deployments,
    String description,
    List<String> fallbacks,
    String largerContext,
    int contextWindow,
    OutputChecks checks,
    boolean continueStreams) {
  /** The context window assumed for a group that does not state one. */
  public static final int DEFAULT_CONTEXT_WINDOW = 8192;

  public GroupConfig {
    deployments = List.copyOf(deployments);
    fallbacks = List.copyOf(fallbacks);
    checks = checks == null ? OutputChecks.NONE : checks;
    if (contextWindow <= 0) {
      throw new IllegalArgumentException(
          "contextWindow must be positive, but was " + contextWindow);
    }
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
