package dev.ballast.gateway.internal.assembly;

import dev.ballast.calls.Admission;
import dev.ballast.calls.Deployment;
import dev.ballast.calls.ModelCallChain;
import dev.ballast.calls.Redactor;
import dev.ballast.calls.Resilience;
import dev.ballast.calls.Router;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.DeploymentConfig;
import dev.ballast.core.config.NodeRole;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterConfig;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.spi.Store;
import dev.ballast.gateway.internal.http.Authentication;
import dev.ballast.gateway.internal.http.CollectionsApi;
import dev.ballast.gateway.internal.http.ConnectionGuard;
import dev.ballast.gateway.internal.http.ConversationsApi;
import dev.ballast.gateway.internal.http.Drain;
import dev.ballast.gateway.internal.http.HealthApi;
import dev.ballast.gateway.internal.http.HttpApi;
import dev.ballast.gateway.internal.http.Idempotency;
import dev.ballast.gateway.internal.http.ModelsApi;
import dev.ballast.gateway.internal.http.PipelinesApi;
import dev.ballast.gateway.internal.http.ReplayApi;
import dev.ballast.gateway.internal.http.Requests;
import dev.ballast.gateway.internal.http.RunsApi;
import dev.ballast.gateway.internal.http.StatsApi;
import dev.ballast.gateway.internal.http.Tenants;
import dev.ballast.gateway.internal.http.TraceContext;
import dev.ballast.gateway.spi.RouteExtension;
import dev.ballast.pipeline.EngineSettings;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.simulator.Simulator;
import dev.ballast.telemetry.BallastTelemetry;
import dev.ballast.telemetry.TelemetryConfig;
import io.helidon.webserver.http.HttpRouting;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Wires the gateway's parts from a configuration. Kept apart from the public {@code Gateway} so
 * that the wiring can change without touching the API.
 */
public final class GatewayAssembly implements AutoCloseable {
  private final Store store;
  private final JournalWriter journal;
  private final Simulator simulator;
  private final ProviderRegistry providers;
  private final PipelineEngine engine;
  private final BallastTelemetry telemetry;
  private final HttpApi api;
  private final ReplayApi replay;
  private final StateAssembly state;
  private final boolean servesApi;
  private final Drain drain;
  private final HealthApi health;

  private GatewayAssembly(
      Store store,
      JournalWriter journal,
      Simulator simulator,
      ProviderRegistry providers,
      PipelineEngine engine,
      BallastTelemetry telemetry,
      HttpApi api,
      ReplayApi replay,
      StateAssembly state,
      boolean servesApi,
      Drain drain,
      HealthApi health) {
    this.store = store;
    this.journal = journal;
    this.simulator = simulator;
    this.providers = providers;
    this.engine = engine;
    this.telemetry = telemetry;
    this.api = api;
    this.replay = replay;
    this.state = state;
    this.servesApi = servesApi;
    this.drain = drain;
    this.health = health;
  }

  public static GatewayAssembly create(
      BallastConfig config, Store store, Clock clock, ConnectionGuard guard) {
    // Mapped before anything starts: a setting the telemetry module refuses stops nothing running.
    TelemetryConfig telemetryConfig = TelemetryMapping.config(config.telemetry());
    JournalWriter journal =
        JournalWriter.start(
            store.journal(),
            JournalWriterConfig.defaults(config.server().dataDir().resolve("spool"))
                .withQueueCapacity(config.journal().queueCapacity())
                .withMaxBatch(config.journal().batchSize()));
    // A listener before the first entry, so that no run is missing from spans and metrics.
    BallastTelemetry telemetry =
        BallastTelemetry.start(
            telemetryConfig, TelemetryMapping.catalog(config), new StoreRunSource(store));
    journal.addListener(telemetry);
    // One simulator serves every in-process simulator provider, so tests and operators read one
    // attempt log; fault profiles of all simulator providers are merged into it.
    Map<String, String> profiles = new HashMap<>();
    config.providers().values().forEach(p -> profiles.putAll(p.profiles()));
    Simulator simulator = new Simulator(Simulator.DEFAULT_SEED, clock, profiles);
    ProviderRegistry providers = new ProviderRegistry(config, simulator, StateAssembly::localModel);
    Map<String, Deployment> deployments = new HashMap<>();
    for (DeploymentConfig d : config.deployments().values()) {
      deployments.put(d.name(), new Deployment(d, providers.get(d.provider())));
    }
    Router router = new Router(config, deployments);
    Resilience resilience = new Resilience(config, clock);
    ModelCallChain chain = new ModelCallChain(config, router, resilience, new Admission(clock));
    Authentication authentication = new Authentication(new Tenants(config.tenants()));
    Requests requests = new Requests(config.server().maxBodyBytes(), guard);
    StateAssembly state = StateAssembly.create(config, store, chain, journal, clock);
    // Before the engine starts: a run pins a collection's generation at submission, and the
    // configuration's own pipelines may read a seeded collection from their first run.
    state.seed();
    state.startTailing();
    // Before the server binds, so the node's first request does not pay for it.
    Warmup.run();
    Idempotency idempotency = idempotency(config, store, clock);
    String nodeId = nodeId();
    NodeRole role = config.server().role();
    PipelineEngine engine =
        PipelineEngine.start(
            EngineSettings.of(nodeId, store.runQueue(), pipelines(config), config.workers())
                .withJournal(journal)
                .withRunWorkers(role.runsWorkers())
                .withConfigVersion(config.version())
                .withModelCalls(new PipelineModelCalls(chain, config.tenants(), journal, clock))
                .withDependencyBreaker(Resilience.breakerConfig(config.resilience()))
                .withCapture((tenant, json) -> capture(config, tenant, json))
                .withState(state.services())
                .withClock(clock));
    GatewayGauges.register(telemetry.metrics(), journal, resilience, engine, clock);
    GatewayGauges.registerIndexes(
        telemetry.metrics(), state.indexes(), config.collections().keySet());
    TraceContext traces = new TraceContext(telemetry.tracer());
    Drain drain = new Drain();
    HttpApi api =
        new HttpApi(
            authentication,
            requests,
            chain,
            new ModelsApi(config),
            new RunsApi(store.journal(), journal),
            journal,
            resilience,
            idempotency,
            new PipelinesApi(requests, engine, store.journal(), journal, nodeId, role, traces),
            new ConversationsApi(store.memory()),
            new CollectionsApi(requests, config, state),
            new StatsApi(store.aggregates(), config.collections().keySet(), clock),
            role,
            traces,
            telemetry.metrics(),
            clock);
    ReplayApi replay =
        new ReplayApi(
            ReplayGateway.replayer(config, store, journal, chain, clock),
            store.journal(),
            journal,
            authentication,
            requests);
    return new GatewayAssembly(
        store,
        journal,
        simulator,
        providers,
        engine,
        telemetry,
        api,
        role.servesApi() ? replay : null,
        state,
        role.servesApi(),
        drain,
        HealthApi.create(
            store,
            () -> state.indexes().status(),
            config.groups().values(),
            resilience,
            drain,
            clock));
  }

  private static List<Pipeline> pipelines(BallastConfig config) {
    return config.pipelines().values().stream().map(Pipeline::of).toList();
  }

  /**
   * What of a pipeline run's input and stage outputs goes into the journal: nothing for a tenant
   * without capture (or unknown), else the content with the tenant's redaction patterns applied, as
   * for its gateway calls. The run queue still holds the content as it is: the run cannot execute
   * without it.
   */
  private static Payload capture(BallastConfig config, String tenant, byte[] json) {
    TenantConfig t = config.tenants().get(tenant);
    return t == null ? null : Redactor.payload(t, new String(json, StandardCharsets.UTF_8));
  }

  /**
   * Names this node in leases and journals: the host, the process and a random part, so that two
   * gateways in one process (as in tests) are two nodes.
   */
  private static String nodeId() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "localhost";
      }
    }
    return host
        + "-"
        + ProcessHandle.current().pid()
        + "-"
        + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
  }

  /** Idempotency keys live in the store, so that every node sharing the store sees them. */
  private static Idempotency idempotency(BallastConfig config, Store store, Clock clock) {
    return new Idempotency(
        store.idempotency(),
        clock,
        config.resilience().idempotencyTtl(),
        config.resilience().maxDeadline());
  }

  /**
   * Registers the routes: replay's, then those of the {@link RouteExtension}s on the classpath (on
   * a node that serves the API), then the API's, which end with the catch-all 404.
   */
  public void routing(HttpRouting.Builder routing) {
    routing.addFilter(drain);
    health.register(routing);
    if (replay != null) {
      replay.register(routing);
    }
    if (servesApi) {
      ServiceLoader.load(RouteExtension.class, GatewayAssembly.class.getClassLoader())
          .forEach(extension -> extension.register(routing));
    }
    api.register(routing);
  }

  public Store store() {
    return store;
  }

  public JournalWriter journal() {
    return journal;
  }

  public Simulator simulator() {
    return simulator;
  }

  public PipelineEngine pipelines() {
    return engine;
  }

  /**
   * Stops claiming runs and lets running stages finish (their model calls still need the providers,
   * the journal and the store), then closes the rest. The journal writer closes before telemetry:
   * it hands its last batches to the telemetry listener, whose spans are then exported on close.
   */
  /** The node's drain: refuses new requests once started, counts those in flight. */
  public Drain drain() {
    return drain;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /**
   * Like {@link #close()}, giving running stages {@code grace} to finish before they are handed
   * back to the queue for another node to take over at once.
   */
  public void close(Duration grace) {
    engine.stop(grace);
    state.close();
    providers.close();
    journal.flush(Duration.ofSeconds(10));
    journal.close();
    telemetry.close();
    store.close();
  }
}
