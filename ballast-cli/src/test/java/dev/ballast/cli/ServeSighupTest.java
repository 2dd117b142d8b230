package dev.ballast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.cli.CliRunner.Result;
import dev.ballast.core.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ballast serve} in its own process reloads its configuration file on {@code SIGHUP}: a
 * tenant added to the file can call at once; {@code ballast config reload} and {@code ballast
 * status} talk to the same node.
 */
class ServeSighupTest {
  private static final String OPS = "bk-sighup-ops";
  private static final String NEWBIE = "bk-sighup-newbie";
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)/v1");

  @TempDir Path dir;

  private static String yaml(String extraTenant) {
    return """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          sim: {provider: sim, model: sim}
        groups:
          default: {deployments: [sim]}
        admins: [ops]
        tenants:
          ops: {keys: ["%s"]}
          %s
        """
        .formatted(ConfigLoader.hashKey(OPS), extraTenant);
  }

  @Test
  void sighupReloadsTheFileAndTheCliReloadsAndShowsVersions() throws Exception {
    Path config = dir.resolve("ballast.yaml");
    Files.writeString(config, yaml(""));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process serve =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName(),
                    "serve",
                    "--config",
                    config.toString(),
                    "--data",
                    dir.resolve("data").toString()))
            .redirectErrorStream(true)
            .start();
    Queue<String> output = new ConcurrentLinkedQueue<>();
    try {
      String base = baseUrl(serve, output);
      Result before = CliRunner.run("status", "--url", base, "--key", OPS);
      assertThat(before.exit()).as(before.err()).isZero();
      assertThat(before.out()).contains("this node");
      assertThat(CliRunner.run("status", "--url", base, "--key", NEWBIE).exit()).isNotZero();

      Files.writeString(config, yaml("newbie: {keys: [\"" + ConfigLoader.hashKey(NEWBIE) + "\"]}"));
      Process hup =
          new ProcessBuilder("kill", "-HUP", String.valueOf(serve.pid())).inheritIO().start();
      assertThat(hup.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(hup.exitValue()).isZero();

      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> output.stream().anyMatch(l -> l.startsWith("configuration reloaded")));
      Result newbie = CliRunner.run("status", "--url", base, "--key", NEWBIE);
      assertThat(newbie.exit()).as(newbie.err()).isZero();
      assertThat(newbie.out()).contains("use an administrator's key");

      Result unchanged = CliRunner.run("config", "reload", "--url", base, "--key", OPS);
      assertThat(unchanged.exit()).as(unchanged.err()).isZero();
      assertThat(unchanged.out()).startsWith("configuration unchanged");
      Files.writeString(config, yaml("") + "\nresilience: {deadline: never}\n");
      Result invalid = CliRunner.run("config", "reload", "--url", base, "--key", OPS);
      assertThat(invalid.exit()).isNotZero();
      assertThat(invalid.err()).contains("400").contains("resilience.deadline");
    } finally {
      serve.destroyForcibly();
      serve.waitFor(20, TimeUnit.SECONDS);
    }
  }

  private static String baseUrl(Process serve, Queue<String> output) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> url =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    // Keep reading the output, for the reload's line and so the pipe never fills.
                    Thread.ofVirtual().start(() -> out.lines().forEach(output::add));
                    return m.group(1);
                  }
                }
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              throw new IllegalStateException("ballast serve ended without listening");
            });
    return url.get(120, TimeUnit.SECONDS);
  }
}
