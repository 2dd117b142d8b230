package dev.ballast.calls;

import dev.ballast.core.config.DeploymentConfig;
import dev.ballast.core.spi.Provider;

/** A deployment with the provider instance that serves it. */
public record Deployment(DeploymentConfig config, Provider provider) {
  public String name() {
    return config.name();
  }
}
