package dev.ballast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ballast serve} in its own process, sent {@code SIGTERM} while a slow call is in flight:
 * the call is answered, then the process exits (docs/cluster.md, "Drain").
 */
class ServeSigtermTest {
  private static final String KEY = "bk-sigterm";
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)/v1");

  @TempDir Path dir;

  @Test
  void sigtermLetsTheCallInFlightFinishThenExits() throws Exception {
    Path config = dir.resolve("ballast.yaml");
    Files.writeString(
        config,
        """
        server: {port: 0, drain_timeout: 15s}
        providers:
          sim: {type: simulator}
        deployments:
          slow: {provider: sim, model: "sim:latency=2000ms"}
        groups:
          default: {deployments: [slow]}
        admins: [team]
        tenants:
          team: {keys: ["%s"]}
        """
            .formatted(ConfigLoader.hashKey(KEY)));
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
    try {
      String base = baseUrl(serve);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      CompletableFuture<HttpResponse<String>> call =
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                  .header("authorization", "Bearer " + KEY)
                  .header("content-type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> inFlight(http, base) > 0);

      serve.destroy(); // SIGTERM

      HttpResponse<String> answered = call.get(20, TimeUnit.SECONDS);
      assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
      assertThat(serve.waitFor(20, TimeUnit.SECONDS)).as("exited after the drain").isTrue();
    } finally {
      serve.destroyForcibly();
    }
  }

  private static String baseUrl(Process serve) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> url =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    // Keep draining the output, so the process never blocks on a full pipe.
                    Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
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

  private static int inFlight(HttpClient http, String base) throws Exception {
    HttpResponse<String> status =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/ballast/status"))
                .header("authorization", "Bearer " + KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = Json.mapper().readTree(status.body());
    return body.at("/deployments/slow/in_flight").asInt();
  }
}
