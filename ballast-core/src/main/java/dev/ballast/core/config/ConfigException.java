package dev.ballast.core.config;

import dev.ballast.core.BallastException;
import java.util.List;

/**
 * The configuration is invalid. Carries every problem found, each prefixed with its path ({@code
 * groups.default.deployments[1]: unknown deployment "x"}), so one start-up reports them all.
 */
public final class ConfigException extends BallastException {
  private final List<String> errors;

  public ConfigException(String source, List<String> errors) {
    super(
        source
            + ": "
            + errors.size()
            + " configuration error(s):\n  "
            + String.join("\n  ", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
