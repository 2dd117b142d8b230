package dev.ballast.core.config;

import dev.ballast.core.spi.Timeouts;

/**
 * {@code deployments.NAME}: one upstream model at one provider, with its limits and price.
 *
 * @param model the upstream model name sent to the provider
 * @param maxConcurrent the most calls in flight to this deployment at once
 */
public record DeploymentConfig(
    String name,
    String provider,
    String model,
    int maxConcurrent,
    Price price,
    Timeouts timeouts) {}
