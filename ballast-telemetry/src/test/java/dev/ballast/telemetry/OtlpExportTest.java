package dev.ballast.telemetry;

import static dev.ballast.telemetry.Journals.PROVIDERS;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spans leave the process as OTLP/HTTP protobuf: a collector stand-in (the JDK's HTTP server)
 * receives them and decodes them with the OTLP protobuf classes.
 */
class OtlpExportTest {
  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private final AtomicInteger unavailableAnswers = new AtomicInteger();
  private HttpServer collector;
  private JournalTracer tracer;

  private record Received(String path, Map<String, List<String>> headers, byte[] body) {}

  @BeforeEach
  void startCollector() throws IOException {
    collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext("/", this::receive);
    collector.start();
  }

  @AfterEach
  void stop() {
    if (tracer != null) {
      tracer.close();
    }
    collector.stop(0);
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      received.add(
          new Received(
              exchange.getRequestURI().getPath(),
              Map.copyOf(exchange.getRequestHeaders()),
              in.readAllBytes()));
    }
    int status = unavailableAnswers.getAndDecrement() > 0 ? 503 : 200;
    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private JournalTracer exportingTracer() {
    TelemetryConfig config =
        TelemetryConfig.builder()
            .otlpEndpoint("http://127.0.0.1:" + collector.getAddress().getPort())
            .header("Authorization", "Bearer collector-token")
            .serviceName("ballast-test")
            .timeout(Duration.ofSeconds(5))
            .build();
    return JournalTracer.start(config, PROVIDERS);
  }

  private List<ResourceSpans> decoded() throws IOException {
    List<ResourceSpans> all = new ArrayList<>();
    for (Received request : received) {
      all.addAll(ExportTraceServiceRequest.parseFrom(request.body()).getResourceSpansList());
    }
    return all;
  }

  private List<Span> spans() throws IOException {
    return decoded().stream()
        .flatMap(r -> r.getScopeSpansList().stream())
        .flatMap(s -> s.getSpansList().stream())
        .toList();
  }

  private static Map<String, String> attributes(Span span) {
    return span.getAttributesList().stream()
        .collect(
            Collectors.toMap(
                KeyValue::getKey,
                kv -> {
                  var v = kv.getValue();
                  return switch (v.getValueCase()) {
                    case STRING_VALUE -> v.getStringValue();
                    case INT_VALUE -> Long.toString(v.getIntValue());
                    case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
                    case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
                    default -> v.toString().strip();
                  };
                }));
  }

  private static Span named(List<Span> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void spansArePostedAsOtlpProtobufToTheTracesPathWithTheConfiguredHeaders() throws IOException {
    tracer = exportingTracer();

    tracer.accept(Journals.gatewayRunWithFailover());

    assertThat(tracer.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(received)
        .isNotEmpty()
        .allSatisfy(
            r -> {
              assertThat(r.path()).isEqualTo("/v1/traces");
              assertThat(r.headers().get("Content-type")).containsExactly("application/x-protobuf");
              assertThat(r.headers().get("Authorization"))
                  .containsExactly("Bearer collector-token");
            });
    ResourceSpans resource = decoded().getFirst();
    assertThat(resource.getResource().getAttributesList())
        .anySatisfy(
            kv -> {
              assertThat(kv.getKey()).isEqualTo("service.name");
              assertThat(kv.getValue().getStringValue()).isEqualTo("ballast-test");
            });
    assertThat(resource.getScopeSpansList())
        .extracting(ScopeSpans::getScope)
        .extracting(s -> s.getName())
        .containsOnly("dev.ballast.telemetry");
  }

  @Test
  void theDecodedSpansCarryTheConventionNamesKindsIdsAndAttributes() throws IOException {
    tracer = exportingTracer();

    tracer.accept(Journals.gatewayRunWithFailover());
    assertThat(tracer.flush(Duration.ofSeconds(10))).isTrue();

    List<Span> spans = spans();
    assertThat(spans)
        .extracting(Span::getName)
        .containsExactlyInAnyOrder("chat default", "chat gpt-4o-mini", "chat claude-haiku-4-5");
    Span run = named(spans, "chat default");
    Span failed = named(spans, "chat gpt-4o-mini");
    String expected = JournalSpans.traceparent(Journals.GATEWAY_RUN);
    assertThat(
            "00-"
                + hex(run.getTraceId().toByteArray())
                + "-"
                + hex(run.getSpanId().toByteArray())
                + "-01")
        .isEqualTo(expected);
    assertThat(run.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(failed.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(failed.getParentSpanId()).isEqualTo(run.getSpanId());
    assertThat(failed.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(attributes(failed))
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.provider.name", "openai")
        .containsEntry("gen_ai.request.model", "gpt-4o-mini")
        .containsEntry("error.type", "server_error")
        .containsEntry("server.address", "api.openai.com")
        .containsEntry("ballast.deployment", "primary")
        .containsEntry("ballast.attempt", "1")
        .containsEntry("ballast.decision", "failover");
    assertThat(attributes(named(spans, "chat claude-haiku-4-5")))
        .containsEntry("gen_ai.usage.input_tokens", "12")
        .containsEntry("gen_ai.usage.output_tokens", "7")
        .containsKey("gen_ai.response.finish_reasons")
        .containsEntry("gen_ai.response.model", "claude-haiku-4-5-20251001");
    assertThat(run.getEndTimeUnixNano() - run.getStartTimeUnixNano()).isEqualTo(401_500_000L);
  }

  @Test
  void aPipelineTraceArrivesWithTheModelCallUnderItsStage() throws IOException {
    tracer = exportingTracer();

    tracer.accept(Journals.pipelineWithModelCallInStoreOrder());
    assertThat(tracer.flush(Duration.ofSeconds(10))).isTrue();

    List<Span> spans = spans();
    Span summarize =
        spans.stream().filter(s -> s.getName().equals("stage summarize")).findFirst().orElseThrow();
    assertThat(named(spans, "chat default").getParentSpanId()).isEqualTo(summarize.getSpanId());
    assertThat(attributes(named(spans, "invoke_workflow digest")))
        .containsEntry("gen_ai.operation.name", "invoke_workflow")
        .containsEntry("gen_ai.workflow.name", "digest");
    assertThat(spans).extracting(Span::getTraceId).containsOnly(summarize.getTraceId());
  }

  @Test
  void aCollectorThatAnswers503IsRetriedUntilItAccepts() throws IOException {
    unavailableAnswers.set(1);
    tracer = exportingTracer();

    tracer.accept(Journals.gatewayRunWithFailover());

    assertThat(tracer.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(received).hasSize(2);
    assertThat(spans()).hasSize(6); // the same three spans, in both requests
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
