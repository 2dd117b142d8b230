package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.JournalEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where secrets must not appear (docs/limits.md): a webhook URL's path and query (which carry its
 * token) in run errors, the journal and exported spans; a webhook's answer in errors, and in
 * outputs of a tenant without capture; more of an answer than the cap, ever. Also: what is kept for
 * an {@code Idempotency-Key} obeys the tenant's capture and redaction.
 */
class SecretsHygieneTest {
  static final int HUGE = 200 * 1024 * 1024;
  @TempDir static Path dataDir;
  static HttpServer hooks;
  static final AtomicLong hugeBytesWritten = new AtomicLong();
  static Gateway gateway;
  static OtlpCollector collector;
  static TestGateway idempotent;
  @TempDir static Path idempotentDir;

  @BeforeAll
  static void start() throws IOException {
    hooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hooks.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    hooks.createContext(
        "/fails",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] body = "{\"detail\":\"SECRET-ANSWER\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(500, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    hooks.createContext(
        "/huge",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, HUGE);
          byte[] chunk = new byte[64 * 1024];
          Arrays.fill(chunk, (byte) 'x');
          try (OutputStream out = exchange.getResponseBody()) {
            for (long sent = 0; sent < HUGE; sent += chunk.length) {
              out.write(chunk);
              hugeBytesWritten.addAndGet(chunk.length);
            }
          } catch (IOException closedByTheReader) {
            // Expected: the reader stops at its cap and closes the connection.
          }
        });
    hooks.createContext(
        "/ok",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] body = "{\"receipt\":\"SECRET-RECEIPT\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    hooks.start();
    collector = new OtlpCollector();
    String hooksUrl = "http://127.0.0.1:" + hooks.getAddress().getPort();
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
          open: {keys: ["%s"]}
          quiet: {keys: ["%s"], capture: false}
        workers: {concurrency: 2, lease: 5s, heartbeat: 1s, poll: 50ms}
        pipelines:
          leaky:
            stages:
              - {name: notify, type: http_action, timeout: 5s, retry: {max_attempts: 1},
                 url: "%s/fails/SECRET-PATH?token=SECRET-QUERY"}
          huge:
            stages:
              - {name: notify, type: http_action, timeout: 20s, url: "%s/huge?token=SECRET-QUERY"}
          receipt:
            stages:
              - {name: notify, type: http_action, timeout: 5s, url: "%s/ok"}
        telemetry: {otlp_endpoint: "%s", timeout: 5s}
        """
            .formatted(
                ConfigLoader.hashKey("bk-open"),
                ConfigLoader.hashKey("bk-quiet"),
                hooksUrl,
                hooksUrl,
                hooksUrl,
                collector.url());
    BallastConfig config = ConfigLoader.parse("hygiene", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
    idempotent = new TestGateway(idempotentDir);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    collector.close();
    idempotent.close();
    hooks.stop(0);
  }

  private static JsonNode run(String key, String pipeline, String state) {
    PipelineGateway runs = new PipelineGateway(gateway, key);
    String runId = runs.submit(pipeline, "{}");
    return runs.awaitState(runId, state);
  }

  private static String journalText(String runId) throws IOException {
    gateway.journal().flush(Duration.ofSeconds(10));
    StringBuilder text = new StringBuilder();
    for (JournalEntry entry : gateway.store().journal().events(runId)) {
      text.append(Json.mapper().writeValueAsString(entry.event())).append('\n');
    }
    return text.toString();
  }

  @Test
  void aWebhookUrlIsRecordedWithoutItsPathAndQueryAndItsAnswerIsNotInTheError() throws IOException {
    JsonNode dead = run("bk-open", "leaky", "dead");

    String shown = "http://127.0.0.1:" + hooks.getAddress().getPort() + "/…";
    assertThat(dead.get("error").asText()).contains(shown).contains("answered 500");
    assertThat(dead.toString()).doesNotContain("SECRET");
    assertThat(journalText(dead.get("id").asText()))
        .contains("answered 500")
        .doesNotContain("SECRET");
    // Spans are derived from the journal; the exported ones carry the error as recorded.
    String spans =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> collector.spans().toString(), text -> text.contains("answered 500"));
    // (Protocol buffers' text form escapes the ellipsis: compare up to it.)
    assertThat(spans)
        .contains("webhook http://127.0.0.1:" + hooks.getAddress().getPort() + "/")
        .doesNotContain("SECRET");
  }

  @Test
  void aHugeWebhookAnswerIsReadOnlyUpToTheCap() {
    JsonNode done = run("bk-open", "huge", "succeeded");

    String body = done.at("/output/body").asText();
    assertThat(body.length()).isBetween(64 * 1024, 64 * 1024 + 3);
    assertThat(hugeBytesWritten.get())
        .as("bytes the receiver managed to send")
        .isLessThan(HUGE / 4);
    assertThat(done.toString()).doesNotContain("SECRET");
  }

  @Test
  void aWebhookAnswerIsKeptOnlyUnderContentCapture() {
    JsonNode kept = run("bk-open", "receipt", "succeeded");
    JsonNode notKept = run("bk-quiet", "receipt", "succeeded");

    assertThat(kept.at("/output/body/receipt").asText()).isEqualTo("SECRET-RECEIPT");
    assertThat(notKept.at("/output/status").asInt()).isEqualTo(200);
    assertThat(notKept.at("/output/body").isNull()).isTrue();
    assertThat(notKept.toString()).doesNotContain("SECRET");
  }

  private static HttpResponse<String> idempotentCall(String key, String idem, String prompt) {
    return idempotent.post(
        "/v1/chat/completions",
        key,
        "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}",
        Map.of("Idempotency-Key", idem));
  }

  @Test
  void withoutCaptureAnIdempotentResponseIsNotKeptAndARetryIsToldSoWithoutASecondCall() {
    HttpResponse<String> first = idempotentCall(TestGateway.NO_CAPTURE_KEY, "q-1", "private");
    int attempts = idempotent.gateway.simulator().attempts("sim").size();

    HttpResponse<String> retry = idempotentCall(TestGateway.NO_CAPTURE_KEY, "q-1", "private");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(409);
    assertThat(json(retry.body()).at("/error/code").asText())
        .isEqualTo("idempotency_response_not_kept");
    assertThat(retry.headers().firstValue("x-ballast-run-id"))
        .isEqualTo(first.headers().firstValue("x-ballast-run-id"));
    assertThat(idempotent.gateway.simulator().attempts("sim")).hasSize(attempts);
    assertThat(idempotent.gateway.store().idempotency().find("private", "q-1").orElseThrow().body())
        .isNull();
  }

  @Test
  void anIdempotentResponseIsKeptRedacted() {
    String card = "4111-1111-1111-1111";
    HttpResponse<String> first = idempotentCall(TestGateway.REDACTED_KEY, "c-1", "card " + card);

    HttpResponse<String> retry = idempotentCall(TestGateway.REDACTED_KEY, "c-1", "card " + card);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).contains(card);
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.headers().firstValue("x-ballast-idempotent-replayed")).hasValue("true");
    assertThat(retry.body()).contains("[REDACTED]").doesNotContain(card);
    assertThat(
            new String(
                idempotent
                    .gateway
                    .store()
                    .idempotency()
                    .find("careful", "c-1")
                    .orElseThrow()
                    .body(),
                StandardCharsets.UTF_8))
        .doesNotContain(card);
  }
}
