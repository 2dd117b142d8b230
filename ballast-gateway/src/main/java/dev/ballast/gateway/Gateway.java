package dev.ballast.gateway;

import dev.ballast.core.PrivateFiles;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.spi.Store;
import dev.ballast.gateway.internal.assembly.GatewayAssembly;
import dev.ballast.gateway.internal.http.ConnectionGuard;
import dev.ballast.gateway.internal.http.NodeServer;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.simulator.Simulator;
import dev.ballast.store.Stores;
import dev.ballast.watch.Watch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A running Ballast node: the HTTP server, its providers, the pipeline engine, the store, the
 * journal writer and the telemetry derived from the journal. What it serves and executes follows
 * {@code server.role}: {@code gateway} serves the API and executes no pipeline runs, {@code worker}
 * executes runs and serves only the health probes ({@code /livez}, {@code /readyz}, {@code
 * /healthz}), {@code /v1/ballast/status} and {@code /metrics}, {@code both} does everything. Start
 * one with {@link #start}; {@link #close} stops the server, stops the engine claiming runs (running
 * stages get a grace period), flushes and closes the journal (whose last batches reach the
 * telemetry listener), exports the last spans and closes the store, in that order, so no accepted
 * call loses its journal or its spans.
 *
 * <p>Thread-safe. The server uses one virtual thread per request.
 */
public final class Gateway implements AutoCloseable {
  private final BallastConfig config;
  private final NodeServer server;
  private final GatewayAssembly assembly;

  private Gateway(BallastConfig config, NodeServer server, GatewayAssembly assembly) {
    this.config = config;
    this.server = server;
    this.assembly = assembly;
  }

  /** Starts a gateway on the configuration's host and port (0 picks a free port). */
  public static Gateway start(BallastConfig config) {
    return start(config, Clock.systemUTC());
  }

  public static Gateway start(BallastConfig config, Clock clock) {
    return start(config, clock, null);
  }

  /**
   * Starts a gateway on the configuration {@code source} reads, which {@link #reload} (and {@code
   * SIGHUP} for {@code ballast serve}) reads again.
   *
   * @throws dev.ballast.core.config.ConfigException when the source's configuration is invalid
   */
  public static Gateway start(Supplier<BallastConfig> source) {
    return start(source.get(), Clock.systemUTC(), source);
  }

  /**
   * @param source reads the configuration again for {@link #reload}; null when there is nothing to
   *     read again (a reload then answers {@link ConfigReload.Outcome#UNAVAILABLE})
   */
  public static Gateway start(BallastConfig config, Clock clock, Supplier<BallastConfig> source) {
    NodeServer.checkBindable(config.server().host(), config.server().port());
    Path dataDir = config.server().dataDir();
    // 0700 before anything is written into it: the store, spool, dev key and index snapshots.
    PrivateFiles.dataDirectory(dataDir);
    Store store = Stores.open(config.storeUrl(), dataDir);
    ConnectionGuard guard = new ConnectionGuard(config.server().limits());
    GatewayAssembly assembly;
    try {
      assembly = GatewayAssembly.create(config, source, store, clock, guard);
    } catch (RuntimeException e) {
      guard.close();
      store.close();
      throw e;
    }
    NodeServer server;
    try {
      server =
          NodeServer.start(
              config.server(), routing -> assembly.routing(assembly.routes().wrap(routing)), guard);
    } catch (RuntimeException e) {
      guard.close();
      assembly.close();
      throw e;
    }
    return new Gateway(config, server, assembly);
  }

  /**
   * Every (method, path) route this node registered, in order, as its routing code registered them
   * (Helidon path templates such as {@code /v1/ballast/runs/{+id}}); the path-less catch-all is not
   * among them.
   */
  public java.util.List<String> routes() {
    return assembly.routes().routes().stream().map(Object::toString).toList();
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return "http://" + hostForUrl(config.server().host()) + ":" + port();
  }

  /** The configuration this node runs now: the one it started with, or the last reloaded. */
  public BallastConfig config() {
    return assembly.live().config();
  }

  /** When the running configuration was taken over: the node's start or its last reload. */
  public java.time.Instant configLoadedAt() {
    return assembly.live().current().loadedAt();
  }

  /**
   * Reads the configuration again and swaps it in when it is valid and changes only what a running
   * node can take over: tenants and keys, administrators, providers, deployments, model groups and
   * the request path's resilience policies. Requests in flight finish on the configuration they
   * started with. An invalid file, or one that changes a setting only a restart takes over (the
   * result names each), leaves the running configuration untouched. Thread-safe; one reload runs at
   * a time.
   */
  public ConfigReload reload() {
    return assembly.reload();
  }

  public Store store() {
    return assembly.store();
  }

  public JournalWriter journal() {
    return assembly.journal();
  }

  /** The pipeline engine: submits, reads and resumes runs; executes them unless a gateway node. */
  public PipelineEngine pipelines() {
    return assembly.pipelines();
  }

  /** The in-process simulator shared by every {@code simulator} provider without a base URL. */
  public Simulator simulator() {
    return assembly.simulator();
  }

  /**
   * Watch on this node (its open alerts, a tick on demand); empty when {@code watch.enabled} is
   * false.
   */
  public java.util.Optional<Watch> watch() {
    return java.util.Optional.ofNullable(assembly.watch());
  }

  /**
   * Drains and stops the node (what {@code SIGTERM} does to {@code ballast serve}), within {@code
   * server.drain_timeout}: new requests are refused with 503 {@code node_draining} and {@code
   * /readyz} answers 503 at once; requests in flight finish; then the server stops, running stages
   * get what is left of the timeout and are then handed back to the queue for immediate take-over,
   * and the journal is flushed before the store closes.
   */
  @Override
  public void close() {
    Duration timeout = config.server().drainTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    assembly.drain().start();
    assembly.drain().awaitIdle(timeout);
    server.close();
    assembly.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  private static String hostForUrl(String host) {
    return host.equals("0.0.0.0") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
  }
}
