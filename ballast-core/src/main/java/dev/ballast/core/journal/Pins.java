package dev.ballast.core.journal;

import java.util.List;

/**
 * The versions a run was executed against, fixed at its start.
 *
 * @param configVersion content hash of the effective configuration
 * @param group the model group the request resolved to
 * @param route the group's deployments in the order they were eligible at the start of the run
 */
public record Pins(String configVersion, String group, List<String> route) {
  public Pins {
    route = route == null ? List.of() : List.copyOf(route);
  }
}
