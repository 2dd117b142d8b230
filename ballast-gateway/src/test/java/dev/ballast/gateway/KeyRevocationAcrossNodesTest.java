package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.testkit.Postgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A managed key revoked through one node is refused by another node of the same PostgreSQL within
 * {@code managed_keys.cache_ttl} (docs/security.md), although that node had just read and cached
 * the key as live.
 */
class KeyRevocationAcrossNodesTest {
  private static final String OPS = "bk-revoke-ops";
  private static final Duration TTL = Duration.ofSeconds(1);
  // The bound the test holds the nodes to: the TTL, plus one store read and a loaded machine.
  private static final Duration BOUND = TTL.plusSeconds(4);

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private static Gateway node(Path dataDir, String store) {
    String yaml =
        """
        server: {port: 0}
        store: {url: "%s"}
        providers: {sim: {type: simulator}}
        deployments: {sim: {provider: sim, model: sim}}
        groups: {default: {deployments: [sim]}}
        admins: [ops]
        tenants:
          ops: {keys: ["%s"]}
          acme: {keys: ["%s"]}
        managed_keys: {cache_ttl: %dms}
        """
            .formatted(
                store,
                ConfigLoader.hashKey(OPS),
                ConfigLoader.hashKey("bk-revoke-acme"),
                TTL.toMillis());
    BallastConfig config = ConfigLoader.parse("revocation", yaml, Map.of());
    return Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
  }

  @Test
  void aKeyRevokedOnOneNodeIsRefusedByTheOtherWithinTheCacheTtl() throws Exception {
    String base = Postgres.requireAvailable();
    String schema = Postgres.newSchema("ballast_revoke_");
    String store = base + "&schema=" + schema;
    try (Gateway a = node(dir.resolve("a"), store);
        Gateway b = node(dir.resolve("b"), store)) {
      HttpResponse<String> created =
          send(a, "POST", "/v1/ballast/keys", OPS, "{\"tenant\":\"acme\"}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String key = TestGateway.json(created.body()).path("key").asText();
      String id = TestGateway.json(created.body()).path("id").asText();
      // Node B reads the key, finds it live, and caches that.
      assertThat(send(b, "GET", "/v1/ballast/whoami", key, null).statusCode()).isEqualTo(200);

      assertThat(send(a, "DELETE", "/v1/ballast/keys/" + id, OPS, null).statusCode())
          .isEqualTo(200);
      long revokedAt = System.nanoTime();

      assertThat(send(a, "GET", "/v1/ballast/whoami", key, null).statusCode()).isEqualTo(401);
      await()
          .atMost(BOUND)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> send(b, "GET", "/v1/ballast/whoami", key, null).statusCode() == 401);
      Duration refusedAfter = Duration.ofNanos(System.nanoTime() - revokedAt);
      assertThat(refusedAfter).isLessThanOrEqualTo(BOUND);
      System.out.printf(
          "node B refused the revoked key %d ms after the revocation (cache_ttl %d ms)%n",
          refusedAfter.toMillis(), TTL.toMillis());
      // And it stays refused: no node ever honours it again.
      assertThat(
              send(b, "POST", "/v1/chat/completions", key, TestGateway.chat("default", false))
                  .statusCode())
          .isEqualTo(401);
    } finally {
      Postgres.dropSchema(base, schema);
    }
  }

  private HttpResponse<String> send(
      Gateway node, String method, String path, String key, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("authorization", "Bearer " + key)
            .header("content-type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
