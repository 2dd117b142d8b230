package dev.ballast.core.journal;

import dev.ballast.core.state.StatePins;
import java.util.List;

/**
 * The versions a run was executed against, fixed at its start.
 *
 * @param configVersion content hash of the effective configuration
 * @param group the model group the request resolved to
 * @param route the group's deployments in the order they were eligible at the start of the run
 * @param pipelineVersion the content-derived version of the pipeline a pipeline run executes
 * @param state the memory version and collection generations a pipeline run reads, or null
 */
public record Pins(
    String configVersion,
    String group,
    List<String> route,
    String pipelineVersion,
    StatePins state) {
  public Pins {
    route = route == null ? List.of() : List.copyOf(route);
  }

  public Pins(String configVersion, String group, List<String> route, String pipelineVersion) {
    this(configVersion, group, route, pipelineVersion, null);
  }

  /** The pins of a gateway call. */
  public Pins(String configVersion, String group, List<String> route) {
    this(configVersion, group, route, null, null);
  }

  /** The pins of a pipeline run. */
  public static Pins pipeline(String configVersion, String pipelineVersion) {
    return new Pins(configVersion, null, List.of(), pipelineVersion, null);
  }

  /** The pins of a pipeline run that reads versioned state. */
  public static Pins pipeline(String configVersion, String pipelineVersion, StatePins state) {
    return new Pins(configVersion, null, List.of(), pipelineVersion, state);
  }
}
