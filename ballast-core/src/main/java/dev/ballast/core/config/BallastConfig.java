package dev.ballast.core.config;

import dev.ballast.core.pipeline.PipelineDefinition;
import java.util.Map;
import java.util.Optional;

/**
 * The whole validated configuration, immutable. Built by {@link ConfigLoader}; every reference
 * between sections (group to deployment, deployment to provider) has been checked.
 *
 * @param storeUrl {@code sqlite:} (the default, under the data directory) or {@code
 *     postgresql://...}
 * @param resilience the request path's policies (deadline, retry budget, breakers)
 * @param prompts named prompt templates that {@code generate} stages refer to
 * @param pipelines pipeline definitions by name; prompts are resolved into their stages
 * @param workers how this node executes pipeline runs
 * @param telemetry how spans and metrics derived from the journal are exported
 * @param access administrators, collection owners and readers, who may submit which pipeline
 * @param watch how completed runs become signals, detectors and alerts
 * @param version a content hash of the effective configuration, pinned by every run
 * @param canaries golden prompts run on a cadence, once per cluster, by name
 */
public record BallastConfig(
    ServerConfig server,
    String storeUrl,
    JournalConfig journal,
    ResilienceConfig resilience,
    Map<String, ProviderConfig> providers,
    Map<String, DeploymentConfig> deployments,
    Map<String, GroupConfig> groups,
    Map<String, TenantConfig> tenants,
    Map<String, PromptConfig> prompts,
    Map<String, PipelineDefinition> pipelines,
    WorkersConfig workers,
    TelemetrySettings telemetry,
    Map<String, CollectionConfig> collections,
    AccessConfig access,
    WatchSettings watch,
    String version,
    Map<String, CanaryConfig> canaries) {

  public BallastConfig {
    providers = Map.copyOf(providers);
    deployments = Map.copyOf(deployments);
    groups = Map.copyOf(groups);
    tenants = Map.copyOf(tenants);
    prompts = Map.copyOf(prompts);
    pipelines = Map.copyOf(pipelines);
    collections = collections == null ? Map.of() : Map.copyOf(collections);
    access = access == null ? AccessConfig.NONE : access;
    canaries = canaries == null ? Map.of() : Map.copyOf(canaries);
    watch = watch == null ? WatchSettings.DEFAULT : watch;
  }

  public Optional<CollectionConfig> collection(String name) {
    return Optional.ofNullable(collections.get(name));
  }

  public Optional<PipelineDefinition> pipeline(String name) {
    return Optional.ofNullable(pipelines.get(name));
  }

  public Optional<GroupConfig> group(String name) {
    return Optional.ofNullable(groups.get(name));
  }

  public DeploymentConfig deployment(String name) {
    return deployments.get(name);
  }

  public ProviderConfig provider(String name) {
    return providers.get(name);
  }

  public BallastConfig withServer(ServerConfig newServer) {
    return new BallastConfig(
        newServer,
        storeUrl,
        journal,
        resilience,
        providers,
        deployments,
        groups,
        tenants,
        prompts,
        pipelines,
        workers,
        telemetry,
        collections,
        access,
        watch,
        version,
        canaries);
  }

  public BallastConfig withStoreUrl(String newStoreUrl) {
    return new BallastConfig(
        server,
        newStoreUrl,
        journal,
        resilience,
        providers,
        deployments,
        groups,
        tenants,
        prompts,
        pipelines,
        workers,
        telemetry,
        collections,
        access,
        watch,
        version,
        canaries);
  }
}
