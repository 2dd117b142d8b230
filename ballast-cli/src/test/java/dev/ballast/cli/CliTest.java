package dev.ballast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
  @TempDir Path dir;

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void configCheckReportsEveryErrorWithItsPathAndNoStackTrace() throws Exception {
    Path config = dir.resolve("ballast.yaml");
    Files.writeString(
        config,
        """
        providers:
          openai: {type: openai, api_key: "sk-do-not-print"}
        deployments:
          gpt4o: {provider: openai, model: gpt-4o, colour: red}
        groups:
          default: {deployments: [gpt4o, gpt4o-azure]}
        tenants:
          acme: {keys: ["sk-plain"]}
        """);

    Result result = run("config", "check", "--config", config.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains("deployments.gpt4o.colour: unknown key")
        .contains("groups.default.deployments[1]: unknown deployment \"gpt4o-azure\"")
        .contains("tenants.acme.keys[0]: expected a key hash")
        .doesNotContain("sk-do-not-print")
        .doesNotContain("sk-plain")
        .doesNotContain("\tat ");
  }

  @Test
  void theBuiltInConfigurationCreatesTheDevKeyOnceWithMode0600() throws Exception {
    Path data = dir.resolve("data");

    Result first = run("config", "check", "--data", data.toString());
    Result second = run("config", "check", "--data", data.toString());

    Path key = data.resolve("dev.key");
    assertThat(Files.getPosixFilePermissions(key))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    String value = Files.readString(key).trim();
    assertThat(first.out()).contains(value);
    assertThat(second.out()).doesNotContain(value);
    assertThat(first.exit()).isZero();
    assertThat(ConfigLoader.hashKey(value)).startsWith("sha256:");
  }

  @Test
  void readOnlyCommandsCreateNoKeyAndNoFiles() {
    Path data = dir.resolve("untouched");
    for (String[] args :
        List.of(
            new String[] {"runs", "list"},
            new String[] {"runs", "show", "run_nope"},
            new String[] {"replay", "run_nope"},
            new String[] {"diff", "run_a", "run_b"},
            new String[] {"pipelines", "list"},
            new String[] {"memory", "show", "c1"})) {
      List<String> withData = new java.util.ArrayList<>(List.of(args));
      withData.addAll(List.of("--data", data.toString()));
      Result result = run(withData.toArray(String[]::new));
      assertThat(result.out() + result.err())
          .as(String.join(" ", args))
          .doesNotContain("Created a development API key");
      assertThat(data).as(String.join(" ", args)).doesNotExist();
    }
  }

  private Path tenantsConfig(String tenants) throws Exception {
    Path config = dir.resolve("tenants-" + tenants.length() + ".yaml");
    Files.writeString(
        config,
        """
        providers: {sim: {type: simulator}}
        deployments: {d: {provider: sim, model: sim}}
        groups: {default: {deployments: [d]}}
        tenants: {%s}
        """
            .formatted(tenants));
    return config;
  }

  @Test
  void memoryShowNamesTheTenantsWhenItCannotTellWhichOneIsMeant() throws Exception {
    String key = "{keys: [\"" + ConfigLoader.hashKey("k") + "\"]}";
    String otherKey = "{keys: [\"" + ConfigLoader.hashKey("k2") + "\"]}";
    Path two = tenantsConfig("team: " + key + ", other: " + otherKey);
    Path data = dir.resolve("mem");
    dev.ballast.store.Stores.open("sqlite:", data).close();

    Result unnamed = run("memory", "show", "c1", "--config", two.toString(), "--data", "" + data);
    assertThat(unnamed.exit()).as(unnamed.err()).isEqualTo(2);
    assertThat(unnamed.err()).contains("--tenant").contains("other, team");

    Result unknown =
        run("memory", "show", "c1", "--tenant", "dev", "--config", "" + two, "--data", "" + data);
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown tenant \"dev\"").contains("other, team");

    Path one = tenantsConfig("team: " + key);
    Result only = run("memory", "show", "c1", "--config", one.toString(), "--data", "" + data);
    assertThat(only.exit()).as(only.err()).isZero();
    assertThat(only.out()).contains("conversation c1 (tenant team)");
  }

  @Test
  void theReadmeConfigurationExampleIsValid() throws Exception {
    String readme =
        Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("README.md"));
    int start = readme.indexOf("```yaml", readme.indexOf("## Configuration")) + "```yaml".length();
    String yaml = readme.substring(start, readme.indexOf("```", start));
    // Each placeholder a hash of its own: one key hash names one tenant.
    for (int i = 0; yaml.contains("sha256:…"); i++) {
      yaml = yaml.replaceFirst("sha256:…", "sha256:" + "%064x".formatted(i));
    }
    Path config = dir.resolve("readme.yaml");
    Files.writeString(config, yaml);

    var parsed =
        ConfigLoader.load(
            config,
            java.util.Map.of(
                "OPENAI_API_KEY", "k1",
                "ANTHROPIC_API_KEY", "k2",
                "AZURE_OPENAI_API_KEY", "k3",
                "GEMINI_API_KEY", "k4",
                "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "secret",
                "AWS_SESSION_TOKEN", "token"));

    assertThat(parsed.groups()).containsKey("default");
    assertThat(parsed.tenants().get("acme").limits().requestsPerMinute()).isEqualTo(600);
  }

  @Test
  void keysHashPrintsTheHashTenantsUse() {
    Result result = run("keys", "hash", "abc");

    assertThat(result.out().trim()).isEqualTo(ConfigLoader.hashKey("abc"));
  }

  @Test
  void runsShowOfAnUnknownRunSaysSo() {
    Result result = run("runs", "show", "run_nope", "--data", dir.resolve("d").toString());

    assertThat(result.exit()).isEqualTo(2);
    // A data directory where nothing ran has no store, and reading it creates none.
    assertThat(result.err()).contains("no store at sqlite:").contains("nothing has run");
  }
}
