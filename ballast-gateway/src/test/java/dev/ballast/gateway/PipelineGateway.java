package dev.ballast.gateway;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A gateway node with pipelines over real sockets: {@code digest} (generate on the in-process
 * simulator → transform → http_action to a {@link WebhookSink}), {@code shape} (one transform) and
 * {@code flaky} (an http_action with two quick attempts, for dead runs).
 */
final class PipelineGateway implements AutoCloseable {
  static final String KEY = "bk-pipelines";
  static final String OTHER_KEY = "bk-pipelines-other";
  static final String REDACTED_KEY = "bk-pipelines-careful";
  static final String ADMIN_KEY = "bk-pipelines-ops";
  static final Duration WAIT = Duration.ofSeconds(20);

  final Gateway gateway;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String key;

  /** A client of a gateway started elsewhere, calling with {@code key}. */
  PipelineGateway(Gateway gateway, String key) {
    this.gateway = gateway;
    this.key = key;
  }

  PipelineGateway(Path dataDir, String storeUrl, String role, WebhookSink sink) {
    String yaml =
        """
        server: {port: 0, role: %s}
        store: {url: "%s"}
        providers:
          sim: {type: simulator}
        deployments:
          sim: {provider: sim, model: sim}
        groups:
          default: {deployments: [sim]}
        admins: [ops]
        tenants:
          team: {keys: ["%s"]}
          other: {keys: ["%s"]}
          careful: {keys: ["%s"], redact: ["\\\\b\\\\d{4}-\\\\d{4}-\\\\d{4}-\\\\d{4}\\\\b"]}
          ops: {keys: ["%s"]}
        workers: {concurrency: 4, lease: 5s, heartbeat: 1s, poll: 50ms}
        prompts:
          summarize: {system: "Answer in one sentence.", user: "Summarize: {{input.text}}"}
        pipelines:
          digest:
            description: summarize a document and notify the team
            stages:
              - {name: summarize, type: generate, group: default, prompt: summarize, timeout: 10s}
              - name: shape
                type: transform
                output: {summary: "{{stages.summarize.text}}", doc: "{{input.id}}"}
              - name: notify
                type: http_action
                url: "%s"
                body: {summary: "{{stages.shape.summary}}", doc: "{{stages.shape.doc}}"}
                timeout: 5s
          shape:
            stages:
              - {name: echo, type: transform, output: {echo: "{{input.n}}"}}
          flaky:
            stages:
              - {name: prepare, type: transform, output: {doc: "{{input.id}}"}}
              - name: notify
                type: http_action
                url: "%s"
                timeout: 5s
                retry: {max_attempts: 2, backoff: 10ms}
        """
            .formatted(
                role,
                storeUrl,
                ConfigLoader.hashKey(KEY),
                ConfigLoader.hashKey(OTHER_KEY),
                ConfigLoader.hashKey(REDACTED_KEY),
                ConfigLoader.hashKey(ADMIN_KEY),
                sink.url("/digest"),
                sink.url("/flaky"));
    BallastConfig config = ConfigLoader.parse("pipelines", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
    key = KEY;
  }

  HttpResponse<String> post(String path, String key, String body, String idempotencyKey) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("authorization", "Bearer " + key);
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request.build());
  }

  HttpResponse<String> post(String path, String body) {
    return post(path, key, body, null);
  }

  HttpResponse<String> get(String path, String key) {
    return send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("authorization", "Bearer " + key)
            .GET()
            .build());
  }

  HttpResponse<String> get(String path) {
    return get(path, key);
  }

  /** Submits a run and returns its id. */
  String submit(String pipeline, String input) {
    HttpResponse<String> response =
        post("/v1/pipelines/" + pipeline + "/runs", "{\"input\":" + input + "}");
    if (response.statusCode() != 201) {
      throw new AssertionError("submit answered " + response.statusCode() + ": " + response.body());
    }
    return TestGateway.json(response.body()).get("id").asText();
  }

  /** Polls {@code GET /v1/pipelines/runs/{id}} until the run is in {@code state}. */
  JsonNode awaitState(String runId, String state) {
    JsonNode[] last = {null};
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(25))
        .until(
            () -> {
              HttpResponse<String> r = get("/v1/pipelines/runs/" + runId);
              last[0] = TestGateway.json(r.body());
              return r.statusCode() == 200 && state.equals(last[0].get("state").asText());
            });
    return last[0];
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    gateway.close();
  }
}
