package dev.ballast.core.config;

import dev.ballast.core.spi.Timeouts;

/**
 * {@code deployments.NAME}: one upstream model at one provider, with its limits and price.
 *
 * @param model the upstream model name sent to the provider
 * @param maxConcurrent the most calls in flight to this deployment at once
 * @param expect the model and fingerprints the deployment is pinned to ({@code expect}); {@link
 *     ExpectedIdentity#NONE} when the config pins nothing
 * @param continuation how the deployment is asked to continue a stream another attempt began
 *     ({@code continuation}); {@link ContinuationMode#INSTRUCTION} when null
 */
public record DeploymentConfig(
    String name,
    String provider,
    String model,
    int maxConcurrent,
    Price price,
    Timeouts timeouts,
    ExpectedIdentity expect,
    ContinuationMode continuation) {

  public DeploymentConfig {
    expect = expect == null ? ExpectedIdentity.NONE : expect;
    continuation = continuation == null ? ContinuationMode.INSTRUCTION : continuation;
  }

  /** A deployment continued by instruction. */
  public DeploymentConfig(
      String name,
      String provider,
      String model,
      int maxConcurrent,
      Price price,
      Timeouts timeouts,
      ExpectedIdentity expect) {
    this(name, provider, model, maxConcurrent, price, timeouts, expect, null);
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
