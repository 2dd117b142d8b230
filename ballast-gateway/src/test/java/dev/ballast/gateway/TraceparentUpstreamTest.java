package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.telemetry.JournalSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trace propagation: every attempt sends the upstream a W3C {@code traceparent} naming the
 * attempt's span (the CLIENT span telemetry derives from the journal) in the run's trace — the
 * caller's trace when the caller sent one — on both wire formats. A raw upstream over a real socket
 * records the headers it received.
 */
class TraceparentUpstreamTest {
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER = "00-" + CALLER_TRACE + "-00f067aa0ba902b7-01";
  private static final String OPENAI_ANSWER =
      """
      {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"up",
       "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
       "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}
      """;
  private static final String ANTHROPIC_ANSWER =
      """
      {"id":"msg_1","type":"message","role":"assistant","model":"up",
       "content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn",
       "usage":{"input_tokens":3,"output_tokens":1}}
      """;

  @TempDir Path dataDir;
  private final Map<String, String> received = new ConcurrentHashMap<>();
  private HttpServer upstream;

  @BeforeEach
  void startUpstream() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/v1/chat/completions", ex -> answer(ex, OPENAI_ANSWER));
    upstream.createContext("/v1/messages", ex -> answer(ex, ANTHROPIC_ANSWER));
    upstream.start();
  }

  @AfterEach
  void stopUpstream() {
    upstream.stop(0);
  }

  private void answer(HttpExchange ex, String body) throws IOException {
    ex.getRequestBody().readAllBytes();
    received.put(
        ex.getRequestURI().getPath(),
        String.valueOf(ex.getRequestHeaders().getFirst("traceparent")));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  @Test
  void bothWireFormatsSendTheAttemptsSpanInTheRunsTrace() throws Exception {
    String base = "http://127.0.0.1:" + upstream.getAddress().getPort();
    String yaml =
        """
        server: {port: 0}
        providers:
          oa: {type: openai, base_url: "%s/v1", api_key: "sk-up"}
          an: {type: anthropic, base_url: "%s", api_key: "sk-up"}
        deployments:
          oa: {provider: oa, model: up}
          an: {provider: an, model: up}
        groups:
          oa: {deployments: [oa]}
          an: {deployments: [an]}
        tenants:
          team: {keys: ["%s"]}
        """
            .formatted(base, base, ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse("traceparent", yaml, Map.of());
    HttpClient http = HttpClient.newHttpClient();
    try (Gateway gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)))) {
      HttpResponse<String> joined = call(http, gateway, "oa", CALLER);
      String openAi = received.get("/v1/chat/completions");
      HttpResponse<String> own = call(http, gateway, "an", null);
      String anthropic = received.get("/v1/messages");

      assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
      assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
      assertThat(openAi).isEqualTo(attemptSpan(gateway, joined, CALLER));
      assertThat(openAi).startsWith("00-" + CALLER_TRACE + "-");
      assertThat(anthropic).isEqualTo(attemptSpan(gateway, own, null));
      // In the run's own trace, the one its response names.
      assertThat(anthropic.substring(0, 35))
          .isEqualTo(own.headers().firstValue("traceparent").orElseThrow().substring(0, 35));
    }
  }

  private static HttpResponse<String> call(
      HttpClient http, Gateway gateway, String model, String traceparent) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .header("authorization", "Bearer " + KEY)
            .POST(HttpRequest.BodyPublishers.ofString(TestGateway.chat(model, false)));
    if (traceparent != null) {
      request.header("traceparent", traceparent);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The traceparent of the attempt's CLIENT span as telemetry derives it from the journal. */
  private static String attemptSpan(Gateway gateway, HttpResponse<String> response, String caller) {
    gateway.journal().flush(Duration.ofSeconds(10));
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
    List<SpanData> spans =
        JournalSpans.create().derive(gateway.store().journal().events(runId), caller);
    SpanData attempt =
        spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    return "00-" + attempt.getTraceId() + "-" + attempt.getSpanId() + "-01";
  }
}
