package dev.ballast.cli;

import static dev.ballast.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.cli.CliRunner.Result;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.config.NodeRole;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pipelines list}, {@code pipelines submit} against a fake gateway, {@code serve --role}.
 */
class PipelinesCliTest {
  private static final String SUBMIT = "/v1/pipelines/digest/runs";
  private static final String RUN = "/v1/pipelines/runs/prun_1";

  @TempDir Path dir;
  private Path data;
  private FakeGateway gateway;

  @BeforeEach
  void start() throws IOException {
    data = dir.resolve("data");
    Files.createDirectories(data);
    Files.writeString(data.resolve("dev.key"), "bk-dev\n");
    gateway = new FakeGateway();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private Result submit(String... args) {
    String[] all = new String[args.length + 7];
    all[0] = "pipelines";
    all[1] = "submit";
    System.arraycopy(args, 0, all, 2, args.length);
    all[args.length + 2] = "--url";
    all[args.length + 3] = gateway.url();
    all[args.length + 4] = "--data";
    all[args.length + 5] = data.toString();
    all[args.length + 6] = "--priority=2";
    return run(all);
  }

  /** A configuration with the {@code digest} pipeline. */
  private Path config() throws IOException {
    return config(
        "ballast.yaml",
        """
        pipelines:
          digest:
            description: shape a document and notify the team
            max_concurrent: 4
            stages:
              - name: shape
                type: transform
                output: {summary: "{{input.text}}"}
              - name: notify
                type: http_action
                url: http://127.0.0.1:9/hook
                body: {summary: "{{stages.shape.summary}}"}
                timeout: 5s
                retry: {max_attempts: 5}
        """);
  }

  /** A configuration with one simulated model group and one tenant, then {@code rest}. */
  private Path config(String name, String rest) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        """
        server: {data_dir: %s, port: 9191}
        providers:
          sim: {type: simulator}
        deployments:
          simulator: {provider: sim, model: sim}
        groups:
          default: {deployments: [simulator]}
        tenants:
          acme: {keys: ["sha256:%s"]}
        """
                .formatted(data, "0".repeat(64))
            + rest);
    return file;
  }

  @Test
  void listPrintsEachPipelinesVersionAndStagesFromTheConfiguration() throws IOException {
    Path file = config();
    String version = ConfigLoader.load(file, Map.of()).pipeline("digest").orElseThrow().version();

    Result result = run("pipelines", "list", "--config", file.toString());

    assertThat(result.exit()).isZero();
    // Golden: column widths follow the content (the longest stage type, the dependency).
    assertThat(result.out())
        .isEqualTo(
            """
            PIPELINE  VERSION       STAGES  MAX  PRIO  DESCRIPTION
            digest    %s       2    4     0  shape a document and notify the team

                    STAGE     TYPE         TIMEOUT  ATTEMPTS  DEPENDENCY
            digest  0 shape   transform    1m              3
                    1 notify  http_action  5s              5  http:127.0.0.1:9  effectful
            1 pipeline(s)
            """
                .formatted(version));
  }

  @Test
  void configCheckNamesThePipelinesWithTheirVersionsAndTheRole() throws IOException {
    Path file = config();
    String version = ConfigLoader.load(file, Map.of()).pipeline("digest").orElseThrow().version();

    Result result = run("config", "check", "--config", file.toString());

    assertThat(result.out())
        .contains("pipelines:   [digest@" + version + "]")
        .contains("role:        both");
  }

  @Test
  void listWithoutAConfigurationShowsTheBuiltInRagAnswer() {
    Result result = run("pipelines", "list", "--data", data.toString());

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("rag-answer").endsWith("1 pipeline(s)\n");
  }

  @Test
  void listWithoutPipelinesSaysWhereToDefineThem() throws IOException {
    Path file = config("empty.yaml", "");

    Result result = run("pipelines", "list", "--config", file.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("no pipelines configured");
  }

  @Test
  void submitSendsTheInputWithTheDevelopmentKeyAndPrintsTheRunId() {
    gateway.on("POST", SUBMIT, 201, FakeGateway.run("prun_1", "queued"));

    Result result = submit("digest", "--input", "{\"text\":\"hello\"}");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo("submitted prun_1: digest@0123456789ab, queued\n");
    FakeGateway.Request sent = gateway.requests.getFirst();
    assertThat(sent.authorization()).isEqualTo("Bearer bk-dev");
    assertThat(sent.body()).isEqualTo("{\"input\":{\"text\":\"hello\"},\"priority\":2}");
  }

  @Test
  void submitReadsTheInputFromAFile() throws IOException {
    gateway.on("POST", SUBMIT, 201, FakeGateway.run("prun_1", "queued"));
    Path input = dir.resolve("input.json");
    Files.writeString(input, "{\"text\": \"from a file\"}\n");

    Result result = submit("digest", "--input", "@" + input, "--key", "bk-explicit");

    assertThat(result.exit()).isZero();
    assertThat(gateway.requests.getFirst().body()).contains("\"from a file\"");
    assertThat(gateway.requests.getFirst().authorization()).isEqualTo("Bearer bk-explicit");
  }

  @Test
  void aRepeatedIdempotencyKeySaysNothingNewWasSubmitted() {
    gateway.on(
        "POST",
        SUBMIT,
        200,
        FakeGateway.run("prun_1", "running"),
        "x-ballast-idempotent-replayed",
        "true");

    Result result = submit("digest", "--idempotency-key", "doc-42");

    assertThat(result.exit()).isZero();
    assertThat(gateway.requests.getFirst().idempotencyKey()).isEqualTo("doc-42");
    assertThat(result.out())
        .contains("prun_1 already named by idempotency key doc-42")
        .contains("nothing new was submitted");
  }

  @Test
  void submitWithWaitPrintsTheOutputOfTheSucceededRun() {
    gateway
        .on("POST", SUBMIT, 201, FakeGateway.run("prun_1", "queued"))
        .on("GET", RUN, 200, FakeGateway.run("prun_1", "succeeded"));

    Result result = submit("digest", "--wait", "30s");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("prun_1 succeeded").contains("\"summary\" : \"hi\"");
  }

  @Test
  void submitWithWaitOfARunThatDiesExitsOneWithTheResumeCommand() {
    gateway
        .on("POST", SUBMIT, 201, FakeGateway.run("prun_1", "queued"))
        .on("GET", RUN, 200, FakeGateway.run("prun_1", "dead"));

    Result result = submit("digest", "--wait", "1m");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "ballast: run prun_1 is dead at stage notify: http_503: hook down; resume it with:"
                + " ballast runs resume prun_1\n");
  }

  @Test
  void submitWithWaitThatRunsOutExitsThree() {
    gateway
        .on("POST", SUBMIT, 201, FakeGateway.run("prun_1", "queued"))
        .on("GET", RUN, 200, FakeGateway.run("prun_1", "running"));

    Result result = submit("digest", "--wait", "0s");

    assertThat(result.exit()).isEqualTo(SubmitCommand.STILL_RUNNING);
    assertThat(result.err())
        .isEqualTo(
            "ballast: run prun_1 is still running after 0s; follow it with: ballast runs show"
                + " prun_1\n");
  }

  @Test
  void anUnknownPipelineShowsTheGatewaysMessageNotItsBody() {
    gateway.on(
        "POST",
        "/v1/pipelines/digst/runs",
        404,
        """
        {"error":{"type":"not_found_error","code":"unknown_pipeline","param":"name",
                  "message":"unknown pipeline \\"digst\\" (configured: digest)"}}""");

    Result result = submit("digst");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "ballast: unknown pipeline \"digst\" (configured: digest) (HTTP 404,"
                + " unknown_pipeline)\n");
  }

  @Test
  void aRefusedKeySaysWhereTheKeyCameFrom() {
    gateway.on(
        "POST",
        SUBMIT,
        401,
        "{\"error\":{\"type\":\"authentication_error\",\"code\":\"invalid_api_key\","
            + "\"message\":\"Incorrect API key provided.\"}}");

    Result result = submit("digest");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains("Incorrect API key provided. (HTTP 401, invalid_api_key)")
        .contains("the key came from " + data.resolve("dev.key"));
  }

  @Test
  void aGatewayThatIsNotRunningIsNamedWithAHint() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }

    Result result =
        run("pipelines", "submit", "digest", "--url", "http://127.0.0.1:" + port, "--key", "bk-x");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .startsWith("ballast: POST http://127.0.0.1:" + port + SUBMIT + ": ")
        .contains("is the gateway running?")
        .doesNotContain("\tat ");
  }

  @Test
  void inputThatIsNotJsonIsAUsageError() {
    Result result = submit("digest", "--input", "{text: hello");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--input is not valid JSON: ");
    assertThat(gateway.requests).isEmpty();
    // One line and a hint, not the error buried under the whole usage text.
    assertThat(result.err().lines())
        .hasSize(2)
        .last()
        .isEqualTo("Try 'ballast pipelines submit --help' for its usage.");
  }

  @Test
  void anInputFileThatDoesNotExistIsAUsageError() {
    Result result = submit("digest", "--input", "@" + dir.resolve("missing.json"));

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("missing.json: no such file");
  }

  @Test
  void aWaitThatIsNotADurationIsAUsageError() {
    Result result = submit("digest", "--wait", "5x");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err())
        .contains("Invalid value for option '--wait': expected a duration like 30s");
  }

  @Test
  void withoutAnyKeyTheErrorSaysHowToGiveOne() throws IOException {
    Files.delete(data.resolve("dev.key"));

    Result result = submit("digest");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("no API key: pass --key KEY or set BALLAST_API_KEY");
  }

  @Test
  void theGatewayUrlDefaultsToTheConfiguredServer() throws IOException {
    Path file = config();

    Result result = run("pipelines", "submit", "digest", "--config", file.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("ballast: POST http://127.0.0.1:9191" + SUBMIT);
  }

  @Test
  void serveRoleOverridesTheConfiguredRole() {
    CommandLine cli = Main.commandLine();
    cli.parseArgs("serve", "--role", "worker", "--data", data.toString());
    ServeCommand serve = cli.getSubcommands().get("serve").getCommand();

    BallastConfig config = serve.config(new PrintWriter(new StringWriter()));

    assertThat(config.server().role()).isEqualTo(NodeRole.WORKER);
    assertThat(config.server().dataDir()).isEqualTo(data);
  }

  @Test
  void serveKeepsTheConfiguredRoleWithoutTheFlag() throws IOException {
    CommandLine cli = Main.commandLine();
    cli.parseArgs("serve", "--config", config().toString(), "--host", "0.0.0.0");
    ServeCommand serve = cli.getSubcommands().get("serve").getCommand();

    BallastConfig config = serve.config(new PrintWriter(new StringWriter()));

    assertThat(config.server().role()).isEqualTo(NodeRole.BOTH);
    assertThat(config.server().host()).isEqualTo("0.0.0.0");
    assertThat(config.server().port()).isEqualTo(9191);
  }

  @Test
  void serveRejectsAnUnknownRoleNamingTheValidOnes() {
    Result result = run("serve", "--role", "boss", "--data", data.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err())
        .contains(
            "Invalid value for option '--role': expected gateway, worker or both, but was"
                + " 'boss'");
  }
}
