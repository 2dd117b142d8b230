package dev.ballast.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A stand-in for an OpenTelemetry collector: the JDK's HTTP server accepts OTLP/HTTP protobuf
 * exports and decodes them with the OTLP protobuf classes.
 */
final class OtlpCollector implements AutoCloseable {
  record Export(String path, String authorization, ExportTraceServiceRequest request) {}

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Export> exports = new ConcurrentLinkedQueue<>();

  OtlpCollector() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::receive);
    server.start();
  }

  /** The base URL, as an operator would configure it: the exporter appends {@code /v1/traces}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      exports.add(
          new Export(
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Authorization"),
              ExportTraceServiceRequest.parseFrom(in.readAllBytes())));
    }
    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  List<Export> exports() {
    return List.copyOf(exports);
  }

  List<ResourceSpans> resources() {
    return exports.stream().flatMap(e -> e.request().getResourceSpansList().stream()).toList();
  }

  List<Span> spans() {
    return resources().stream()
        .flatMap(r -> r.getScopeSpansList().stream())
        .flatMap(s -> s.getSpansList().stream())
        .toList();
  }

  static String hex(com.google.protobuf.ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
