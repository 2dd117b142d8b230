package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary that is down for 60 s and then healthy, with a request every 3 s, on a clock the test
 * advances (the simulator's outage, the breaker's open wait and the cooldowns all read it): served
 * from the fallback during the outage, probed, and back on the primary within 30 s of recovery.
 */
class FlappingPrimaryTest {
  @TempDir Path dataDir;

  @Test
  void servesFromTheFallbackDuringTheOutageAndReturnsToThePrimaryAfterRecovery() throws Exception {
    String yaml =
        """
        server: {port: 0}
        resilience:
          breaker: {window: 4, failure_rate: 50, open_wait: 10s, half_open_probes: 1}
        providers:
          sim: {type: simulator}
        deployments:
          primary: {provider: sim, model: "sim:flap=60s"}
          fallback: {provider: sim, model: "sim:tokens=4"}
        groups:
          chat: {deployments: [primary, fallback]}
        tenants:
          team: {keys: ["%s"]}
        """
            .formatted(ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse("flap", yaml, Map.of());
    MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    HttpClient http = HttpClient.newHttpClient();
    Map<Integer, String> answeredBy = new LinkedHashMap<>();
    int primaryAttemptsDuringOutage;
    try (Gateway gateway =
        Gateway.start(config.withServer(config.server().withDataDir(dataDir)), clock)) {
      Map<Integer, String> runs = new LinkedHashMap<>();
      for (int second = 0; second <= 120; second += 3) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                    .header("authorization", "Bearer " + KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(TestGateway.chat("chat", false)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("answer at %d s", second).isEqualTo(200);
        runs.put(second, response.headers().firstValue("x-ballast-run-id").orElseThrow());
        clock.advance(Duration.ofSeconds(3));
      }
      primaryAttemptsDuringOutage =
          (int)
              gateway.simulator().attempts("sim:flap=60s").stream()
                  .filter(a -> a.at().isBefore(Instant.parse("2026-11-22T10:01:00Z")))
                  .count();
      gateway.journal().flush(Duration.ofSeconds(10));
      runs.forEach(
          (second, runId) ->
              answeredBy.put(
                  second,
                  gateway.store().journal().events(runId).stream()
                      .map(e -> e.event())
                      .filter(JournalEvent.RunCompleted.class::isInstance)
                      .map(e -> ((JournalEvent.RunCompleted) e).deployment())
                      .findFirst()
                      .orElseThrow()));
    }

    assertThat(answeredBy.entrySet())
        .filteredOn(e -> e.getKey() < 60)
        .allSatisfy(e -> assertThat(e.getValue()).isEqualTo("fallback"));
    // The breaker keeps the dead primary from being hammered: a few calls to trip it, then one
    // probe per open wait.
    assertThat(primaryAttemptsDuringOutage).isLessThanOrEqualTo(10);
    int backOnPrimary =
        answeredBy.entrySet().stream()
            .filter(e -> e.getKey() >= 60 && e.getValue().equals("primary"))
            .mapToInt(Map.Entry::getKey)
            .min()
            .orElseThrow();
    assertThat(backOnPrimary).isLessThanOrEqualTo(90);
    assertThat(answeredBy.entrySet())
        .filteredOn(e -> e.getKey() > backOnPrimary)
        .allSatisfy(e -> assertThat(e.getValue()).isEqualTo("primary"));
  }
}
