package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.testkit.MutableClock;
import dev.ballast.testkit.PrometheusText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's index of a collection as a client and a scraper see it (docs/state.md, "How a node wires
 * it"): {@code ballast_index_lag_generations} per configured collection, and a search of a
 * generation the node has pruned answered 410 by name rather than with a wrong or empty result.
 */
class IndexTailingOverHttpTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String LIGHTHOUSE =
      """
      {"documents": [{"id": "lighthouse.md", "content_type": "text/markdown",
        "text": "# Lighthouse keeping\\n\\nThe keeper lights the lighthouse lamp at dusk."}]}
      """;

  @TempDir Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();
  private Gateway gateway;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void theIndexLagOfEachCollectionIsScrapedAndFallsToZeroOnceTheNodeHasTailedANewGeneration() {
    start("{}", new MutableClock(Instant.now()));
    assertThat(ingest()).isEqualTo(2);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              PrometheusText.Family lag =
                  PrometheusText.parse(send("GET", "/metrics", null).body())
                      .get("ballast_index_lag_generations");
              assertThat(lag).isNotNull();
              assertThat(lag.type()).isEqualTo("gauge");
              assertThat(lag.samples())
                  .singleElement()
                  .satisfies(s -> assertThat(s.labels()).containsEntry("collection", "docs"))
                  .satisfies(s -> assertThat(s.value()).isZero());
            });
  }

  @Test
  void aSearchOfAGenerationTheNodeHasPrunedIsAnswered410ByName() {
    MutableClock clock = new MutableClock(Instant.now());
    start("{history: 1m}", clock);
    assertThat(ingest()).isEqualTo(2);
    assertThat(search(1).statusCode()).as("generation 1 is still kept").isEqualTo(200);

    // The tailer prunes every ten minutes of the node's clock; eleven minutes on, generation 2 has
    // been the latest for longer than the minute of history kept and no run pins generation 1.
    clock.advance(Duration.ofMinutes(11));

    HttpResponse<String> pruned =
        await().atMost(WAIT).until(() -> search(1), r -> r.statusCode() != 200);
    assertThat(pruned.statusCode()).as(pruned.body()).isEqualTo(410);
    assertThat(json(pruned.body()).at("/error/code").asText()).isEqualTo("generation_pruned");
    assertThat(json(pruned.body()).at("/error/param").asText()).isEqualTo("generation");
    assertThat(search(2).statusCode()).isEqualTo(200);
  }

  private void start(String collectionSettings, MutableClock clock) {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          sim: {provider: sim, model: sim}
        groups:
          default: {deployments: [sim]}
        tenants:
          team: {keys: ["%s"]}
        collections:
          docs: {embedding: local, seed: "builtin:sample-docs", owner: team, index: %s}
        """
            .formatted(ConfigLoader.hashKey(KEY), collectionSettings);
    BallastConfig config = ConfigLoader.parse("index-tailing", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)), clock);
  }

  /** Commits a second generation of {@code docs} (the seed is the first); returns its number. */
  private long ingest() {
    HttpResponse<String> r = send("POST", "/v1/collections/docs/documents", LIGHTHOUSE);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r.body()).get("generation").asLong();
  }

  private HttpResponse<String> search(long generation) {
    return send(
        "POST",
        "/v1/collections/docs/search",
        "{\"query\": \"lighthouse\", \"mode\": \"keyword\", \"generation\": " + generation + "}");
  }

  private HttpResponse<String> send(String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .timeout(WAIT)
            .header("authorization", "Bearer " + KEY)
            .header("content-type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
