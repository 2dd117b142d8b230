package dev.ballast.gateway.internal.assembly;

import dev.ballast.calls.Admission;
import dev.ballast.calls.Deployment;
import dev.ballast.calls.ModelCallChain;
import dev.ballast.calls.Resilience;
import dev.ballast.calls.Router;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.DeploymentConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterConfig;
import dev.ballast.core.spi.Store;
import dev.ballast.simulator.Simulator;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The configuration's providers, routing and resilience chain for a command that runs without a
 * gateway ({@code ballast replay}, {@code ballast ingest}): the same chain a gateway builds, with
 * the process's own breakers and budgets, and a journal writer (with a spool of its own) for the
 * runs the command makes. Close it to flush those runs and release the providers' connections; the
 * store stays open, the caller owns it.
 */
final class StandaloneChain implements AutoCloseable {
  private final BallastConfig config;
  private final JournalWriter journal;
  private final ProviderRegistry providers;
  private final ModelCallChain chain;
  private final Admission admission;

  /**
   * @param spool the name of the journal's spool directory under the data directory, one per
   *     command so that two commands running at once never share a spool file
   */
  StandaloneChain(BallastConfig config, Store store, Clock clock, String spool) {
    this.config = config;
    this.journal =
        JournalWriter.start(
            store.journal(),
            JournalWriterConfig.defaults(config.server().dataDir().resolve(spool)));
    Map<String, String> profiles = new HashMap<>();
    config.providers().values().forEach(p -> profiles.putAll(p.profiles()));
    Simulator simulator = new Simulator(Simulator.DEFAULT_SEED, clock, profiles);
    this.providers = new ProviderRegistry(config, simulator, StateAssembly::localModel);
    Map<String, Deployment> deployments = new HashMap<>();
    for (DeploymentConfig d : config.deployments().values()) {
      deployments.put(d.name(), new Deployment(d, providers.get(d.provider())));
    }
    // A command's live calls (a what-if) spend the tenant's budget like a gateway's.
    this.admission =
        Admission.shared(
            store.limits(),
            spool + "-" + ProcessHandle.current().pid() + "-" + clock.millis(),
            clock);
    this.chain =
        new ModelCallChain(
            config, new Router(config, deployments), new Resilience(config, clock), admission);
  }

  JournalWriter journal() {
    return journal;
  }

  ModelCallChain chain() {
    return chain;
  }

  @Override
  public void close() {
    admission.close();
    journal.flush(Duration.ofSeconds(10));
    journal.close();
    providers.close();
  }
}
