package dev.ballast.core.journal;

import java.util.List;

/**
 * The versions a run was executed against, fixed at its start.
 *
 * @param configVersion content hash of the effective configuration
 * @param group the model group the request resolved to
 * @param route the group's deployments in the order they were eligible at the start of the run
 * @param pipelineVersion the content-derived version of the pipeline a pipeline run executes
 */
public record Pins(String configVersion, String group, List<String> route, String pipelineVersion) {
  public Pins {
    route = route == null ? List.of() : List.copyOf(route);
  }

  /** The pins of a gateway call. */
  public Pins(String configVersion, String group, List<String> route) {
    this(configVersion, group, route, null);
  }

  /** The pins of a pipeline run. */
  public static Pins pipeline(String configVersion, String pipelineVersion) {
    return new Pins(configVersion, null, List.of(), pipelineVersion);
  }
}
