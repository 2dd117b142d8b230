package dev.ballast.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.client.BallastApiException;
import dev.ballast.client.BallastClient;
import dev.ballast.client.BallastTransportException;
import dev.ballast.client.PipelineRun;
import dev.ballast.client.RunTimeoutException;
import dev.ballast.client.SubmitOptions;
import dev.ballast.core.BallastException;
import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.config.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ballast pipelines submit}: submits a run to a running gateway with the Java client and,
 * with {@code --wait}, follows it to its end. Exit codes: 0 submitted (or succeeded, with {@code
 * --wait}), 1 the run failed or is dead, or the gateway refused or could not be reached, 2 a usage
 * error, 3 {@code --wait} ran out with the run still going.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submit a run of pipeline NAME to a running gateway; with --wait, follow it to its end.",
      "",
      "Exit codes: 0 submitted (with --wait: succeeded); 1 the run failed or is dead, or the"
          + " gateway refused or could not be reached; 2 usage error; 3 still running when"
          + " --wait ran out."
    })
final class SubmitCommand implements Callable<Integer> {
  static final String KEY_VARIABLE = "BALLAST_API_KEY";
  static final int STILL_RUNNING = 3;

  @Parameters(paramLabel = "NAME", description = "the pipeline")
  String pipeline;

  @Option(
      names = "--input",
      paramLabel = "JSON|@FILE",
      defaultValue = "{}",
      description =
          "the run's input: JSON text, @FILE to read it from a file, @- from stdin"
              + " (default ${DEFAULT-VALUE})")
  String input;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "submissions with the same key make one run; a repeat returns that run")
  String idempotencyKey;

  @Option(
      names = "--priority",
      paramLabel = "N",
      description = "higher is claimed first (default: the pipeline's)")
  Integer priority;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      converter = Converters.Wait.class,
      description = "wait up to this long (30s, 5m, ...) for the run to end and print its result")
  Duration wait;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "the gateway (default: http://HOST:PORT of the configuration's server)")
  String url;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description =
          "virtual key (default: $" + KEY_VARIABLE + ", else the development key in DATA/dev.key)")
  String key;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "ballast.yaml whose server host/port and data_dir give the defaults")
  Path config;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "data directory holding dev.key (default: server.data_dir, or ballast-data)")
  Path data;

  @Spec CommandSpec spec;

  Map<String, String> env = System.getenv();

  @Override
  public Integer call() {
    JsonNode body = parseInput();
    if (idempotencyKey != null && idempotencyKey.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--idempotency-key must not be blank");
    }
    BallastConfig file = config == null ? null : ConfigLoader.load(config, env);
    Credential credential = credential(file);
    String base = url != null ? url : defaultUrl(file, credential);
    BallastClient.Builder builder;
    try {
      builder = BallastClient.builder().baseUrl(base).apiKey(credential.key());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--url: " + e.getMessage());
    }
    try (BallastClient client = builder.build()) {
      PipelineRun run = submit(client, body, credential);
      return wait == null ? 0 : await(client, run);
    }
  }

  private PipelineRun submit(BallastClient client, JsonNode body, Credential credential) {
    PrintWriter out = spec.commandLine().getOut();
    PipelineRun run;
    try {
      run = client.submit(pipeline, body, new SubmitOptions(idempotencyKey, priority));
    } catch (BallastApiException e) {
      throw explained(e, credential);
    } catch (BallastTransportException e) {
      throw new BallastException(
          e.getMessage() + " (is the gateway running? start one with: ballast serve)", e);
    }
    if (run.replayed()) {
      out.printf(
          "%s already named by idempotency key %s: %s@%s, %s (nothing new was submitted)%n",
          run.id(), idempotencyKey, run.pipeline(), run.version(), run.state().wireName());
    } else {
      out.printf(
          "submitted %s: %s@%s, %s%n",
          run.id(), run.pipeline(), run.version(), run.state().wireName());
    }
    out.flush();
    return run;
  }

  private int await(BallastClient client, PipelineRun submitted) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PipelineRun run;
    try {
      run = client.awaitRun(submitted.id(), wait);
    } catch (RunTimeoutException e) {
      String last = e.lastSeen().map(r -> r.state().wireName()).orElse("unknown");
      err.println(
          "ballast: run "
              + submitted.id()
              + " is still "
              + last
              + " after "
              + Converters.format(wait)
              + "; follow it with: ballast runs show "
              + submitted.id());
      return STILL_RUNNING;
    }
    if (run.succeeded()) {
      out.println(run.id() + " succeeded");
      out.println(run.output() == null ? "(no output)" : pretty(run.output()));
      return 0;
    }
    String where = run.failedStage() == null ? "" : " at stage " + run.failedStage();
    err.println(
        "ballast: run "
            + run.id()
            + " is "
            + run.state().wireName()
            + where
            + (run.error() == null ? "" : ": " + run.error())
            + (run.state() == PipelineRun.State.DEAD
                ? "; resume it with: ballast runs resume " + run.id()
                : ""));
    return 1;
  }

  private JsonNode parseInput() {
    String text = input;
    if (input.startsWith("@")) {
      String name = input.substring(1);
      try {
        text =
            name.equals("-")
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(name), StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new ParameterException(spec.commandLine(), "--input " + input + ": no such file");
      } catch (IOException e) {
        throw new ParameterException(
            spec.commandLine(), "--input " + input + ": cannot read it: " + e.getMessage());
      }
    }
    try {
      JsonNode parsed = Json.mapper().readTree(text);
      if (parsed == null || parsed.isMissingNode()) {
        throw new ParameterException(spec.commandLine(), "--input is empty; pass JSON, e.g. {}");
      }
      return parsed;
    } catch (JsonProcessingException e) {
      throw new ParameterException(
          spec.commandLine(), "--input is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** Where the key comes from, so that a refusal can say which key was refused. */
  record Credential(String key, String source) {}

  private Credential credential(BallastConfig file) {
    if (key != null) {
      return new Credential(key, "--key");
    }
    String fromEnv = env.get(KEY_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new Credential(fromEnv.trim(), "$" + KEY_VARIABLE);
    }
    Path dataDir =
        data != null ? data : file != null ? file.server().dataDir() : Path.of("ballast-data");
    Path devKey = dataDir.resolve("dev.key");
    try {
      return new Credential(
          Files.readString(devKey, StandardCharsets.UTF_8).trim(), devKey.toString());
    } catch (NoSuchFileException e) {
      throw new ParameterException(
          spec.commandLine(),
          "no API key: pass --key KEY or set "
              + KEY_VARIABLE
              + " (there is no development key at "
              + devKey
              + "; ballast serve creates one)");
    } catch (IOException e) {
      throw new BallastException(
          "cannot read the development key " + devKey + ": " + e.getMessage(), e);
    }
  }

  /** {@code http://HOST:PORT} of the configuration, or of the built-in one without a file. */
  private String defaultUrl(BallastConfig file, Credential credential) {
    ServerConfig server =
        file != null
            ? file.server()
            : ConfigLoader.defaults(
                    env, Path.of("ballast-data"), ConfigLoader.hashKey(credential.key()))
                .server();
    String host = server.host();
    // A server listening on every interface is reached on loopback from here.
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + server.port();
  }

  private static BallastException explained(BallastApiException e, Credential credential) {
    if (e.status() == 401) {
      return new BallastException(e.getMessage() + "; the key came from " + credential.source(), e);
    }
    return new BallastException(e.getMessage(), e);
  }

  private static String pretty(JsonNode node) {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      return node.toString();
    }
  }
}
