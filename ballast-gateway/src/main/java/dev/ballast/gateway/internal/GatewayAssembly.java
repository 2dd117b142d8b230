package dev.ballast.gateway.internal;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.DeploymentConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterConfig;
import dev.ballast.core.spi.IdempotencyStore;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.simulator.Simulator;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Wires the gateway's parts from a configuration. Kept apart from the public {@code Gateway} so
 * that the wiring can change without touching the API.
 */
public final class GatewayAssembly implements AutoCloseable {
  private final JournalStore store;
  private final JournalWriter journal;
  private final Simulator simulator;
  private final ProviderRegistry providers;
  private final HttpApi api;

  private GatewayAssembly(
      JournalStore store,
      JournalWriter journal,
      Simulator simulator,
      ProviderRegistry providers,
      HttpApi api) {
    this.store = store;
    this.journal = journal;
    this.simulator = simulator;
    this.providers = providers;
    this.api = api;
  }

  public static GatewayAssembly create(BallastConfig config, JournalStore store, Clock clock) {
    JournalWriter journal =
        JournalWriter.start(
            store,
            JournalWriterConfig.defaults(config.server().dataDir().resolve("spool"))
                .withQueueCapacity(config.journal().queueCapacity())
                .withMaxBatch(config.journal().batchSize()));
    // One simulator serves every in-process simulator provider, so tests and operators read one
    // attempt log; fault profiles of all simulator providers are merged into it.
    Map<String, String> profiles = new HashMap<>();
    config.providers().values().forEach(p -> profiles.putAll(p.profiles()));
    Simulator simulator = new Simulator(Simulator.DEFAULT_SEED, clock, profiles);
    ProviderRegistry providers = new ProviderRegistry(config, simulator);
    Map<String, Deployment> deployments = new HashMap<>();
    for (DeploymentConfig d : config.deployments().values()) {
      deployments.put(d.name(), new Deployment(d, providers.get(d.provider())));
    }
    Router router = new Router(config, deployments);
    Resilience resilience = new Resilience(config, clock);
    AttemptLoop loop = new AttemptLoop(router, resilience);
    Admission admission = new Admission(clock);
    HttpApi api =
        new HttpApi(
            new Requests(new Tenants(config.tenants()), config.server().maxBodyBytes()),
            new ChatService(config, router, loop, admission),
            new EmbeddingService(config, router, loop, admission),
            new ModelsApi(config),
            new RunsApi(store, journal),
            journal,
            resilience,
            idempotency(config, store, clock),
            clock);
    return new GatewayAssembly(store, journal, simulator, providers, api);
  }

  /**
   * Idempotency keys live in the store when it keeps them (every JDBC store does), so that every
   * node sharing the store sees them.
   */
  private static Idempotency idempotency(BallastConfig config, JournalStore store, Clock clock) {
    if (!(store instanceof IdempotencyStore keys)) {
      throw new IllegalStateException(
          "the " + store.backend() + " store keeps no idempotency keys");
    }
    return new Idempotency(
        keys, clock, config.resilience().idempotencyTtl(), config.resilience().maxDeadline());
  }

  public void routing(HttpRouting.Builder routing) {
    api.register(routing);
  }

  public JournalStore store() {
    return store;
  }

  public JournalWriter journal() {
    return journal;
  }

  public Simulator simulator() {
    return simulator;
  }

  @Override
  public void close() {
    providers.close();
    journal.flush(Duration.ofSeconds(10));
    journal.close();
    store.close();
  }
}
