package dev.ballast.gateway.internal.assembly;

import dev.ballast.calls.Deployment;
import dev.ballast.calls.ModelCallChain;
import dev.ballast.calls.Resilience;
import dev.ballast.calls.Router;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigChanges;
import dev.ballast.core.config.ConfigException;
import dev.ballast.core.config.DeploymentConfig;
import dev.ballast.gateway.ConfigReload;
import dev.ballast.gateway.ConfigReload.Outcome;
import dev.ballast.gateway.internal.http.Authentication;
import dev.ballast.gateway.internal.http.KeysApi;
import dev.ballast.gateway.internal.http.ModelsApi;
import dev.ballast.gateway.internal.reload.LiveConfig;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the node's configuration again and, when it is valid and changes only what a running node
 * can take over ({@link ConfigChanges}), swaps it in: providers, resilience policies, the routes of
 * the model-call chain, tenants and administrators, the model list; then makes it the {@link
 * LiveConfig} current version. A request in flight keeps what it already resolved (its tenant, its
 * route); one reload runs at a time.
 */
final class ConfigReloader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

  private final LiveConfig live;
  private final Supplier<BallastConfig> source;
  private final ProviderRegistry providers;
  private final Resilience resilience;
  private final ModelCallChain chain;
  private final Authentication authentication;
  private final ModelsApi models;
  private final KeysApi keys;
  private final Clock clock;
  private final Consumer<LiveConfig.Loaded> applied;

  /**
   * @param source reads the configuration file again (with the command line's overrides); null when
   *     the node was started without one
   * @param applied told of each version taken over, after it became current
   */
  ConfigReloader(
      LiveConfig live,
      Supplier<BallastConfig> source,
      ProviderRegistry providers,
      Resilience resilience,
      ModelCallChain chain,
      Authentication authentication,
      ModelsApi models,
      KeysApi keys,
      Clock clock,
      Consumer<LiveConfig.Loaded> applied) {
    this.live = live;
    this.source = source;
    this.providers = providers;
    this.resilience = resilience;
    this.chain = chain;
    this.authentication = authentication;
    this.models = models;
    this.keys = keys;
    this.clock = clock;
    this.applied = applied;
  }

  synchronized ConfigReload reload() {
    LiveConfig.Loaded running = live.current();
    if (source == null) {
      return result(Outcome.UNAVAILABLE, running, running, List.of(), List.of());
    }
    BallastConfig next;
    try {
      next = source.get();
    } catch (ConfigException e) {
      LOG.warn(
          "configuration reload refused, {} keeps running: {}", running.version(), e.getMessage());
      return result(Outcome.INVALID, running, running, e.errors(), List.of());
    } catch (RuntimeException e) {
      // A source that fails otherwise (the command line's overrides) is as invalid as the file.
      LOG.warn(
          "configuration reload refused, {} keeps running: {}", running.version(), e.toString());
      return result(
          Outcome.INVALID, running, running, List.of(String.valueOf(e.getMessage())), List.of());
    }
    List<String> restart = ConfigChanges.needingRestart(running.config(), next);
    if (!restart.isEmpty()) {
      LOG.warn(
          "configuration reload refused, {} keeps running: {} need(s) a restart",
          running.version(),
          restart);
      return result(Outcome.RESTART_NEEDED, running, running, List.of(), restart);
    }
    if (next.version().equals(running.version())) {
      return result(Outcome.UNCHANGED, running, running, List.of(), List.of());
    }
    try {
      apply(next);
    } catch (RuntimeException e) {
      // Only building a provider can fail here, and providers come first: nothing else changed.
      LOG.error("configuration reload failed, {} keeps running", running.version(), e);
      return result(
          Outcome.INVALID,
          running,
          running,
          List.of("providers: cannot be built: " + e.getMessage()),
          List.of());
    }
    LiveConfig.Loaded now = new LiveConfig.Loaded(next, clock.instant());
    live.set(now);
    LOG.info("configuration reloaded: version {} -> {}", running.version(), next.version());
    applied.accept(now);
    return result(Outcome.APPLIED, running, now, List.of(), List.of());
  }

  /** Deployments are built on the providers and policies first, so the new routes find them. */
  private void apply(BallastConfig next) {
    providers.reconfigure(next);
    resilience.reconfigure(next);
    chain.reconfigure(next, new Router(next, deployments(next, providers)));
    models.reconfigure(next);
    keys.reconfigure(next.groups().keySet());
    authentication.reconfigure(next.tenants(), next.access());
  }

  static Map<String, Deployment> deployments(BallastConfig config, ProviderRegistry providers) {
    Map<String, Deployment> deployments = new HashMap<>();
    for (DeploymentConfig d : config.deployments().values()) {
      deployments.put(d.name(), new Deployment(d, providers.get(d.provider())));
    }
    return deployments;
  }

  private static ConfigReload result(
      Outcome outcome,
      LiveConfig.Loaded before,
      LiveConfig.Loaded after,
      List<String> errors,
      List<String> restart) {
    return new ConfigReload(
        outcome, before.version(), after.version(), after.loadedAt(), errors, restart);
  }
}
