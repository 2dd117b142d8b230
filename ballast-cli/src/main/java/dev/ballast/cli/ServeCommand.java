package dev.ballast.cli;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.gateway.Gateway;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast serve}: the gateway, until interrupted. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the gateway (embedded SQLite store by default, offline).")
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

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    BallastConfig config = node.load(out);
    if (port != null) {
      config = config.withServer(config.server().withPort(port));
    }
    if (host != null) {
      var s = config.server();
      config =
          config.withServer(
              new dev.ballast.core.config.ServerConfig(
                  host, s.port(), s.maxBodyBytes(), s.dataDir()));
    }
    Gateway gateway = Gateway.start(config);
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
}
