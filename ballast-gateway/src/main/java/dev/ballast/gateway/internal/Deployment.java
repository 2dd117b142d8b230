package dev.ballast.gateway.internal;

import dev.ballast.core.config.DeploymentConfig;
import dev.ballast.core.spi.Provider;

/** A deployment with the provider instance that serves it. */
record Deployment(DeploymentConfig config, Provider provider) {
  String name() {
    return config.name();
  }
}
