package dev.ballast.gateway.internal.assembly;

import dev.ballast.calls.Admission;
import dev.ballast.calls.ModelCallChain;
import dev.ballast.calls.Redactor;
import dev.ballast.calls.Resilience;
import dev.ballast.calls.Router;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.NodeRole;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterConfig;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.spi.Store;
import dev.ballast.gateway.ConfigReload;
import dev.ballast.gateway.internal.canary.Canaries;
import dev.ballast.gateway.internal.http.AlertsApi;
import dev.ballast.gateway.internal.http.Authentication;
import dev.ballast.gateway.internal.http.CollectionsApi;
import dev.ballast.gateway.internal.http.ConfigApi;
import dev.ballast.gateway.internal.http.ConnectionGuard;
import dev.ballast.gateway.internal.http.ConversationsApi;
import dev.ballast.gateway.internal.http.Drain;
import dev.ballast.gateway.internal.http.HealthApi;
import dev.ballast.gateway.internal.http.HttpApi;
import dev.ballast.gateway.internal.http.Idempotency;
import dev.ballast.gateway.internal.http.KeysApi;
import dev.ballast.gateway.internal.http.ModelsApi;
import dev.ballast.gateway.internal.http.OpenApiDocument;
import dev.ballast.gateway.internal.http.PipelinesApi;
import dev.ballast.gateway.internal.http.ReplayApi;
import dev.ballast.gateway.internal.http.Requests;
import dev.ballast.gateway.internal.http.RouteRecorder;
import dev.ballast.gateway.internal.http.RunsApi;
import dev.ballast.gateway.internal.http.StatsApi;
import dev.ballast.gateway.internal.http.StatusApi;
import dev.ballast.gateway.internal.http.TraceContext;
import dev.ballast.gateway.internal.reload.LiveConfig;
import dev.ballast.gateway.spi.RouteExtension;
import dev.ballast.pipeline.EngineSettings;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.simulator.Simulator;
import dev.ballast.telemetry.BallastTelemetry;
import dev.ballast.telemetry.TelemetryConfig;
import dev.ballast.watch.Watch;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

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
  private final Watch watch;
  private final HttpApi api;
  private final ReplayApi replay;
  private final StateAssembly state;
  private final Admission admission;
  private final IdempotencySweeper sweeper;
  private final boolean servesApi;
  private final Canaries canaries;
  private final Drain drain;
  private final HealthApi health;
  private final OpenApiDocument openApi = OpenApiDocument.load();
  private final RouteRecorder routes = new RouteRecorder();
  private final LiveConfig live;
  private final ConfigReloader reloader;
  private final NodeAnnouncer announcer;

  private GatewayAssembly(
      Store store,
      JournalWriter journal,
      Simulator simulator,
      ProviderRegistry providers,
      PipelineEngine engine,
      BallastTelemetry telemetry,
      Watch watch,
      HttpApi api,
      ReplayApi replay,
      StateAssembly state,
      Admission admission,
      IdempotencySweeper sweeper,
      boolean servesApi,
      Canaries canaries,
      Drain drain,
      HealthApi health,
      LiveConfig live,
      ConfigReloader reloader,
      NodeAnnouncer announcer) {
    this.live = live;
    this.reloader = reloader;
    this.announcer = announcer;
    this.store = store;
    this.journal = journal;
    this.simulator = simulator;
    this.providers = providers;
    this.engine = engine;
    this.telemetry = telemetry;
    this.watch = watch;
    this.api = api;
    this.replay = replay;
    this.state = state;
    this.admission = admission;
    this.sweeper = sweeper;
    this.servesApi = servesApi;
    this.canaries = canaries;
    this.drain = drain;
    this.health = health;
  }

  /**
   * @param source reads the configuration file again for a reload (with the command line's
   *     overrides); null when the node has none
   */
  public static GatewayAssembly create(
      BallastConfig config,
      Supplier<BallastConfig> source,
      Store store,
      Clock clock,
      ConnectionGuard guard) {
    LiveConfig live = new LiveConfig(config, clock.instant());
    // Mapped before anything starts: a setting the telemetry module refuses stops nothing running.
    TelemetryConfig telemetryConfig = TelemetryMapping.config(config.telemetry());
    JournalWriterConfig journalConfig =
        JournalWriterConfig.defaults(config.server().dataDir().resolve("spool"))
            .withQueueCapacity(config.journal().queueCapacity())
            .withMaxBatch(config.journal().batchSize());
    if (config.journal().queueBytes() > 0) {
      journalConfig = journalConfig.withQueueBytes(config.journal().queueBytes());
    }
    JournalWriter journal = JournalWriter.start(store.journal(), journalConfig);
    // A listener before the first entry, so that no run is missing from spans and metrics.
    BallastTelemetry telemetry =
        BallastTelemetry.start(
            telemetryConfig, TelemetryMapping.catalog(config), new StoreRunSource(store));
    journal.addListener(telemetry);
    String nodeId = nodeId();
    // Also before the first entry: Watch observes runs as they are stored, off the request path.
    // Notifications go out as pipeline runs; the engine starts later, and no alert opens before.
    AtomicReference<PipelineEngine> notifyingEngine = new AtomicReference<>();
    Watch watch =
        WatchAssembly.start(
            config, store, journal, telemetry.metrics(), notifyingEngine, clock, nodeId);
    // One simulator serves every in-process simulator provider, so tests and operators read one
    // attempt log; fault profiles of all simulator providers are merged into it.
    Map<String, String> profiles = new HashMap<>();
    config.providers().values().forEach(p -> profiles.putAll(p.profiles()));
    Simulator simulator = new Simulator(Simulator.DEFAULT_SEED, clock, profiles);
    ProviderRegistry providers = new ProviderRegistry(config, simulator, StateAssembly::localModel);
    Router router = new Router(config, ConfigReloader.deployments(config, providers));
    Resilience resilience = new Resilience(config, clock);
    // Limits and spend live in the store, so they hold across nodes and restarts (docs/limits.md).
    Admission admission = Admission.shared(store.limits(), nodeId, clock);
    ModelCallChain chain = new ModelCallChain(config, router, resilience, admission);
    Authentication authentication =
        new Authentication(config.tenants(), config.access(), store.keys(), clock);
    Requests requests = new Requests(config.server().maxBodyBytes(), guard);
    StateAssembly state =
        StateAssembly.create(config, () -> live.config().access(), store, chain, journal, clock);
    // Before the engine starts: a run pins a collection's generation at submission, and the
    // configuration's own pipelines may read a seeded collection from their first run.
    state.seed();
    state.startTailing();
    // Before the server binds, so the node's first request does not pay for it.
    Warmup.run();
    Idempotency idempotency = idempotency(config, store, clock);
    NodeRole role = config.server().role();
    PipelineEngine engine =
        PipelineEngine.start(
            EngineSettings.of(nodeId, store.runQueue(), pipelines(config), config.workers())
                .withJournal(journal)
                .withRunWorkers(role.runsWorkers())
                .withConfigVersion(config.version())
                .withModelCalls(
                    new PipelineModelCalls(
                        chain, admission, () -> live.config().tenants(), journal, clock))
                .withDependencyBreaker(Resilience.breakerConfig(config.resilience()))
                .withCapture((tenant, json) -> capture(live.config(), tenant, json))
                .withState(state.services())
                .withClock(clock));
    notifyingEngine.set(engine);
    GatewayGauges.register(telemetry.metrics(), journal, resilience, engine, clock);
    GatewayGauges.registerIndexes(
        telemetry.metrics(), state.indexes(), config.collections().keySet());
    TraceContext traces = new TraceContext(telemetry.tracer());
    PipelinesApi pipelinesApi =
        new PipelinesApi(
            requests,
            engine,
            store.journal(),
            journal,
            nodeId,
            role,
            traces,
            config.access(),
            admission);
    Drain drain = new Drain();
    ModelsApi models = new ModelsApi(config);
    KeysApi keys =
        new KeysApi(
            requests, authentication, config.groups().keySet(), config.pipelines().keySet());
    NodeAnnouncer announcer = NodeAnnouncer.start(store.nodes(), nodeId, role, live, clock);
    ConfigReloader reloader =
        new ConfigReloader(
            live,
            source,
            providers,
            resilience,
            chain,
            authentication,
            models,
            keys,
            clock,
            loaded -> {
              announcer.announce();
              GatewayGauges.registerDeployments(
                  telemetry.metrics(), resilience, loaded.config().deployments().keySet());
            });
    HttpApi api =
        new HttpApi(
            authentication,
            requests,
            chain,
            admission,
            models,
            new RunsApi(store.journal(), journal),
            journal,
            resilience,
            idempotency,
            pipelinesApi,
            new ConversationsApi(store.memory()),
            new CollectionsApi(requests, config, state),
            new StatsApi(store.aggregates(), clock),
            new StatusApi(
                journal,
                resilience,
                pipelinesApi,
                store.aggregates(),
                clock,
                live,
                nodeId,
                announcer::nodes),
            new ConfigApi(reloader::reload),
            keys,
            watch == null ? null : new AlertsApi(store.watch()),
            role,
            traces,
            telemetry.metrics(),
            clock);
    ReplayApi replay =
        new ReplayApi(
            ReplayGateway.replayer(config, live::config, store, journal, chain, clock),
            store.journal(),
            journal,
            authentication,
            requests,
            admission);
    // Every node schedules the canaries; the store lets one run each period.
    Canaries canaries =
        Canaries.start(
            config, chain, store.idempotency(), journal, clock, StateAssembly::localModel, engine);
    return new GatewayAssembly(
        store,
        journal,
        simulator,
        providers,
        engine,
        telemetry,
        watch,
        api,
        role.servesApi() ? replay : null,
        state,
        admission,
        new IdempotencySweeper(idempotency, IdempotencySweeper.EVERY),
        role.servesApi(),
        canaries,
        drain,
        HealthApi.create(
            store,
            () -> state.indexes().status(),
            () -> live.config().groups().values(),
            resilience,
            drain,
            clock),
        live,
        reloader,
        announcer);
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
    openApi.register(routing);
    if (replay != null) {
      replay.register(routing);
    }
    if (servesApi) {
      ServiceLoader.load(RouteExtension.class, GatewayAssembly.class.getClassLoader())
          .forEach(extension -> extension.register(routing));
    }
    api.register(routing);
  }

  /**
   * Reads the configuration file again and swaps in what changed, when it is valid and changes only
   * what a running node can take over ({@code SIGHUP}, {@code POST /v1/ballast/config/reload}).
   */
  public ConfigReload reload() {
    return reloader.reload();
  }

  /** The configuration this node runs now and since when. */
  public LiveConfig live() {
    return live;
  }

  /** Notes the routes this node registers. */
  public RouteRecorder routes() {
    return routes;
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

  /** Watch on this node; null when {@code watch.enabled} is false. */
  public Watch watch() {
    return watch;
  }

  public PipelineEngine pipelines() {
    return engine;
  }

  /** The node's drain: refuses new requests once started, counts those in flight. */
  public Drain drain() {
    return drain;
  }

  /**
   * Stops claiming runs and lets running stages finish (their model calls still need the providers,
   * the journal and the store), then closes the rest. The journal writer closes before telemetry:
   * it hands its last batches to the telemetry listener, whose spans are then exported on close.
   */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /**
   * Like {@link #close()}, giving running stages {@code grace} to finish before they are handed
   * back to the queue for another node to take over at once.
   */
  public void close(Duration grace) {
    announcer.close();
    canaries.close();
    sweeper.close();
    engine.stop(grace);
    state.close();
    // After the last call: what this node spent is reported to the store before it closes.
    admission.close();
    providers.close();
    journal.flush(Duration.ofSeconds(10));
    if (watch != null) {
      // After the last batches reached it, before the writer closes: its last tick may journal.
      watch.close();
      journal.flush(Duration.ofSeconds(10));
    }
    journal.close();
    telemetry.close();
    store.close();
  }
}
