package dev.ballast.cli;

import dev.ballast.simulator.Simulator;
import dev.ballast.simulator.SimulatorServer;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast simulate}: the fault-injecting simulator as a standalone server. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Run the provider simulator (OpenAI, Anthropic and Ollama wire formats).",
      "The model name selects the behaviour, e.g. 'sim:error=0.5@503,latency=20ms..200ms';",
      "see ballast-simulator/README.md for every directive."
    })
final class SimulateCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "9100",
      description = "port (default ${DEFAULT-VALUE}; 0 picks a free one)")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "address to listen on (default ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--seed",
      defaultValue = "" + Simulator.DEFAULT_SEED,
      description = "random seed, for reproducible faults")
  long seed;

  @Option(
      names = "--profile",
      paramLabel = "NAME=SPEC",
      description = "a named fault profile usable as a model name")
  Map<String, String> profiles = new LinkedHashMap<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Simulator simulator = new Simulator(seed, Clock.systemUTC(), profiles);
    SimulatorServer server = simulator.server(InetAddress.getByName(host), port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "ballast-simulator-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println("Ballast simulator listening on " + server.baseUri());
    out.println(
        "  OpenAI:    POST /v1/chat/completions, /v1/embeddings   Anthropic: POST /v1/messages");
    out.println(
        "  Ollama:    POST /api/chat, /api/embed                  attempts:  GET /_sim/attempts, POST /_sim/reset");
    out.println(
        "  switch a model's behaviour at once: POST /_sim/switch {\"model\": \"NAME\", \"directives\": \"refusal=0.2\"}");
    out.flush();
    stopped.await();
    return 0;
  }
}
