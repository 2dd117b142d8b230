package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official {@code openai} and {@code @anthropic-ai/sdk} npm packages as real clients of a
 * running gateway. The scripts in {@code clients/} hold the assertions; this test starts the
 * gateway and requires every one of them to pass. Under CI a missing Node.js or missing packages is
 * a failure, not a skip.
 */
class OfficialSdkClientsTest {
  private static final Path CLIENTS =
      Path.of(System.getProperty("user.dir")).getParent().resolve("clients");

  @TempDir static Path dataDir;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    boolean ready =
        Files.isDirectory(CLIENTS.resolve("node_modules/openai"))
            && Files.isDirectory(CLIENTS.resolve("node_modules/@anthropic-ai/sdk"));
    if (!ready && "true".equals(System.getenv("CI"))) {
      fail(
          "the npm client packages are not installed in "
              + CLIENTS
              + " (run: cd clients && npm ci)");
    }
    assumeTrue(ready, "npm client packages not installed; run: cd clients && npm ci");
    gw = new TestGateway(dataDir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"openai.test.mjs", "openai-responses.test.mjs", "anthropic.test.mjs"})
  void officialSdkSuitePasses(String script) throws IOException, InterruptedException {
    Path log = dataDir.resolve(script + ".log");
    ProcessBuilder builder =
        new ProcessBuilder("node", "--test", "--test-reporter=spec", script)
            .directory(CLIENTS.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("BALLAST_URL", gw.gateway.baseUrl());
    builder.environment().put("BALLAST_KEY", TestGateway.KEY);
    Process node = builder.start();
    boolean finished = node.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      node.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(finished).as("node finished within 120 s").isTrue();
    assertThat(node.exitValue())
        .as("node --test %s exit code; output:%n%s", script, output)
        .isZero();
    assertThat(output).containsPattern("pass [1-9]").contains("fail 0");
  }
}
