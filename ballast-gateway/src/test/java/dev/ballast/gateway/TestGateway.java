package dev.ballast.gateway;

import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A gateway on an ephemeral port with an in-process simulator, for tests over real sockets. */
final class TestGateway implements AutoCloseable {
  static final String KEY = "bk-test-key";
  static final String OTHER_KEY = "bk-other-tenant";
  static final String REDACTED_KEY = "bk-redacted-tenant";
  static final String NO_CAPTURE_KEY = "bk-no-capture-tenant";

  final Gateway gateway;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** A client of a gateway started with a configuration of the test's own. */
  TestGateway(Gateway gateway) {
    this.gateway = gateway;
  }

  TestGateway(Path dataDir) {
    this(dataDir, "sqlite:");
  }

  TestGateway(Path dataDir, String storeUrl) {
    String yaml =
        """
        server: {port: 0, max_body_bytes: 65536}
        store: {url: "%s"}
        providers:
          sim: {type: simulator}
        deployments:
          sim: {provider: sim, model: sim, price: {input: 1.0, output: 2.0}}
          fenced: {provider: sim, model: "sim:drift=fenced_json"}
          down: {provider: sim, model: "sim:status=503"}
          cut: {provider: sim, model: "sim:cut_after=3,tokens=10"}
          ctx: {provider: sim, model: "sim:context_length"}
          slow: {provider: sim, model: "sim:token_delay=50ms,tokens=200"}
        groups:
          default: {deployments: [sim]}
          fenced: {deployments: [fenced]}
          failover: {deployments: [down, sim]}
          cut: {deployments: [cut], continue_streams: false}
          cut-then-ok: {deployments: [cut, sim], continue_streams: false}
          cut-continued: {deployments: [cut, sim]}
          ctx: {deployments: [ctx, sim]}
          all-down: {deployments: [down]}
          slow: {deployments: [slow]}
        tenants:
          team: {keys: ["%s"]}
          other: {keys: ["%s"]}
          private: {keys: ["%s"], capture: false}
          careful: {keys: ["%s"], redact: ["\\\\b\\\\d{4}-\\\\d{4}-\\\\d{4}-\\\\d{4}\\\\b"]}
        """
            .formatted(
                storeUrl,
                ConfigLoader.hashKey(KEY),
                ConfigLoader.hashKey(OTHER_KEY),
                ConfigLoader.hashKey(NO_CAPTURE_KEY),
                ConfigLoader.hashKey(REDACTED_KEY));
    BallastConfig config = ConfigLoader.parse("test", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
  }

  HttpResponse<String> post(String path, String key, String body) {
    return post(path, key, body, Map.of());
  }

  HttpResponse<String> post(String path, String key, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("authorization", "Bearer " + key);
    }
    headers.forEach(request::header);
    return send(request.build());
  }

  HttpResponse<String> get(String path, String key) {
    return send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("authorization", "Bearer " + key)
            .GET()
            .build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static com.fasterxml.jackson.databind.JsonNode json(String body) {
    try {
      return Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String chat(String model, boolean stream) {
    return """
        {"model":"%s","stream":%s,"messages":[{"role":"user","content":"hello gateway"}]}"""
        .formatted(model, stream);
  }

  @Override
  public void close() {
    gateway.close();
  }
}
