package dev.ballast.cli;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.config.NodeRole;
import dev.ballast.core.config.ServerConfig;
import dev.ballast.gateway.ConfigReload;
import dev.ballast.gateway.Gateway;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** {@code ballast serve}: the gateway, until interrupted. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run a node: the gateway and pipeline workers (embedded SQLite store by default, offline).")
final class ServeCommand implements Callable<Integer> {
  @Mixin NodeOptions node = new NodeOptions();

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "port, overriding server.port (default 8080; 0 picks a free one)")
  Integer port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "address to listen on, overriding server.host (default 127.0.0.1)")
  String host;

  @Option(
      names = "--role",
      paramLabel = "ROLE",
      converter = Converters.Role.class,
      description =
          "gateway (serve the API, execute no pipeline runs), worker (execute runs, serve only"
              + " the health probes, status and metrics) or both; overrides server.role (default"
              + " both)")
  NodeRole role;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    BallastConfig config = config(out);
    // The file is read again, with this command line's overrides, for each reload.
    Gateway gateway = Gateway.start(config, Clock.systemUTC(), () -> config(out));
    reloadOnHangup(gateway, out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  stopped.countDown();
                },
                "ballast-shutdown"));
    out.println("Ballast gateway listening on " + gateway.baseUrl() + "/v1");
    out.println("  role:    " + config.server().role().wireName());
    if (config.server().role().servesApi()) {
      out.println("  console: " + gateway.baseUrl() + "/ui/");
    }
    out.println(
        "  store:   "
            + ConfigLoader.redactUrl(config.storeUrl())
            + " (data dir "
            + config.server().dataDir()
            + ")");
    out.println(
        "  models:  " + String.join(", ", config.groups().keySet().stream().sorted().toList()));
    out.println(
        "  config:  "
            + (node.config == null ? "built-in default" : node.config.toString())
            + ", version "
            + config.version());
    out.flush();
    stopped.await();
    return 0;
  }

  /**
   * {@code SIGHUP} reloads the configuration file, as {@code POST /v1/ballast/config/reload} does.
   * Where the platform has no such signal, the endpoint remains.
   */
  private static void reloadOnHangup(Gateway gateway, PrintWriter out) {
    try {
      Signal.handle(new Signal("HUP"), signal -> reload(gateway, out));
    } catch (IllegalArgumentException unsupported) {
      out.println("  (no SIGHUP on this platform: reload with ballast config reload)");
    }
  }

  /** What {@code SIGHUP} does: reloads and says what happened, on standard output. */
  static ConfigReload reload(Gateway gateway, PrintWriter out) {
    ConfigReload reload = gateway.reload();
    switch (reload.outcome()) {
      case APPLIED ->
          out.println(
              "configuration reloaded: version "
                  + reload.previousVersion()
                  + " -> "
                  + reload.version());
      case UNCHANGED -> out.println("configuration unchanged, version " + reload.version());
      case INVALID ->
          out.println(
              "configuration reload refused, version "
                  + reload.version()
                  + " keeps running:\n  "
                  + String.join("\n  ", reload.errors()));
      case RESTART_NEEDED ->
          out.println(
              "configuration reload refused, version "
                  + reload.version()
                  + " keeps running: these settings need a restart: "
                  + String.join(", ", reload.restartNeeded()));
      case UNAVAILABLE -> out.println("configuration reload unavailable: no file to read again");
    }
    out.flush();
    return reload;
  }

  /** The configuration the node starts with: the file's, with the command line's overrides. */
  BallastConfig config(PrintWriter out) {
    BallastConfig config = node.load(out);
    ServerConfig s = config.server();
    if (port != null) {
      s = s.withPort(port);
    }
    if (host != null) {
      s = s.withHost(host);
    }
    if (role != null) {
      s = s.withRole(role);
    }
    return config.withServer(s);
  }
}
