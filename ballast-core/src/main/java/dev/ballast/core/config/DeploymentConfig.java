package dev.ballast.core.config;

import dev.ballast.core.spi.Timeouts;

/**
 * {@code deployments.NAME}: one upstream model at one provider, with its limits and price.
 *
 * @param model the upstream model name sent to the provider
 * @param maxConcurrent the most calls in flight to this deployment at once
 * @param expect the model and fingerprints the deployment is pinned to ({@code expect}); {@link
 *     ExpectedIdentity#NONE} when the config pins nothing
 */
public record DeploymentConfig(
    String name,
    String provider,
    String model,
    int maxConcurrent,
    Price price,
    Timeouts timeouts,
    ExpectedIdentity expect) {

  public DeploymentConfig {
    expect = expect == null ? ExpectedIdentity.NONE : expect;
  }

  /** A deployment that pins nothing. */
  public DeploymentConfig(
      String name,
      String provider,
      String model,
      int maxConcurrent,
      Price price,
      Timeouts timeouts) {
    this(name, provider, model, maxConcurrent, price, timeouts, ExpectedIdentity.NONE);
  }
}
