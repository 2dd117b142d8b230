package dev.ballast.console;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.gateway.Gateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node with everything the console shows: tenants {@code dev} (the administrator), {@code acme}
 * and {@code globex}; model groups on the in-process simulator (one that fails over, one that
 * streams); pipelines that summarize, remember and notify a webhook whose status a test sets; and a
 * collection embedded by the local model. Calls go over real sockets.
 */
final class ConsoleFixture implements AutoCloseable {
  static final String ADMIN_KEY = "bk-console-admin";
  static final String ACME_KEY = "bk-console-acme";
  static final String GLOBEX_KEY = "bk-console-globex";

  final Gateway gateway;
  final AtomicInteger webhookStatus = new AtomicInteger(500);
  private final HttpServer webhook;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  ConsoleFixture(Path dataDir, String storeUrl) {
    webhook = webhook();
    String yaml =
        """
        server: {port: 0}
        store: {url: "%s"}
        providers:
          sim: {type: simulator}
        deployments:
          sim: {provider: sim, model: sim, price: {input: 1.0, output: 2.0}}
          large: {provider: sim, model: "sim:tokens=40", price: {input: 3.0, output: 6.0}}
          down: {provider: sim, model: "sim:status=503"}
          streamer: {provider: sim, model: "sim:token_delay=2ms,tokens=12", price: {input: 1.0, output: 2.0}}
          pinned: {provider: sim, model: pin, expect: {model: pin}}
        groups:
          default: {deployments: [sim]}
          large: {deployments: [large]}
          failover: {deployments: [down, sim]}
          stream: {deployments: [streamer]}
          pinned: {deployments: [pinned]}
        collections:
          docs: {chunk_tokens: 64, overlap_tokens: 8, owner: acme}
        admins: [dev]
        tenants:
          dev: {keys: ["%s"]}
          acme: {keys: ["%s"]}
          globex: {keys: ["%s"]}
        workers: {concurrency: 2, lease: 5s, heartbeat: 1s, poll: 50ms}
        prompts:
          summarize: {system: "Answer in one sentence.", user: "Summarize: {{input.text}}"}
          terse: {system: "Answer in three words.", user: "Summarize: {{input.text}}"}
        pipelines:
          digest:
            description: summarize a text
            stages:
              - {name: summarize, type: generate, group: default, prompt: summarize, timeout: 10s}
              - {name: shape, type: transform, output: {summary: "{{stages.summarize.text}}"}}
          remember:
            stages:
              - name: remember
                type: memory_update
                conversation: "{{input.conversation_id}}"
                append: [{role: user, content: "{{input.text}}"}]
          notify:
            stages:
              - {name: prepare, type: transform, output: {doc: "{{input.id}}"}}
              - name: send
                type: http_action
                url: "%s"
                timeout: 5s
                retry: {max_attempts: 2, backoff: 10ms}
        """
            .formatted(
                storeUrl,
                ConfigLoader.hashKey(ADMIN_KEY),
                ConfigLoader.hashKey(ACME_KEY),
                ConfigLoader.hashKey(GLOBEX_KEY),
                "http://127.0.0.1:" + webhook.getAddress().getPort() + "/notify");
    BallastConfig config = ConfigLoader.parse("console", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
  }

  private HttpServer webhook() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = "{\"received\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(webhookStatus.get(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url(String path) {
    return gateway.baseUrl() + path;
  }

  /** A chat completion of {@code group} for the tenant of {@code key}; returns its run id. */
  String chat(String key, String group, String text, boolean stream) {
    String body =
        "{\"model\":\""
            + group
            + "\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\""
            + text
            + "\"}]}";
    HttpResponse<String> r = send("POST", "/v1/chat/completions", key, body);
    if (r.statusCode() != 200) {
      throw new AssertionError("chat answered " + r.statusCode() + ": " + r.body());
    }
    return r.headers().firstValue("x-ballast-run-id").orElseThrow();
  }

  /** Submits a pipeline run for the tenant of {@code key}; returns its id. */
  String submit(String key, String pipeline, String input) {
    HttpResponse<String> r =
        send("POST", "/v1/pipelines/" + pipeline + "/runs", key, "{\"input\":" + input + "}");
    if (r.statusCode() != 201) {
      throw new AssertionError("submit answered " + r.statusCode() + ": " + r.body());
    }
    return json(r.body()).get("id").asText();
  }

  JsonNode awaitState(String key, String runId, String state) {
    JsonNode[] last = {null};
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              HttpResponse<String> r = send("GET", "/v1/pipelines/runs/" + runId, key, null);
              last[0] = json(r.body());
              return r.statusCode() == 200 && state.equals(last[0].path("state").asText());
            });
    return last[0];
  }

  /** Waits until the run is readable from the journal (the writer is asynchronous). */
  void awaitJournaled(String key, String runId) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> send("GET", "/v1/ballast/runs/" + runId, key, null).statusCode() == 200);
  }

  void ingest(String key, String collection, String documentsJson) {
    HttpResponse<String> r =
        send("POST", "/v1/collections/" + collection + "/documents", key, documentsJson);
    if (r.statusCode() != 200) {
      throw new AssertionError("ingest answered " + r.statusCode() + ": " + r.body());
    }
  }

  HttpResponse<String> send(String method, String path, String key, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("authorization", "Bearer " + key);
    }
    if (body != null) {
      b.header("content-type", "application/json");
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String body) {
    try {
      return Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    gateway.close();
    webhook.stop(0);
  }
}
