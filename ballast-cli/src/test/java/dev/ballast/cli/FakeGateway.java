package dev.ballast.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Canned answers of the gateway's pipeline API on a real loopback socket, in order per method and
 * path (the last one repeats), for the commands that talk to a gateway.
 */
final class FakeGateway implements AutoCloseable {
  record Request(
      String method, String path, String authorization, String idempotencyKey, String body) {}

  private record Answer(int status, String body, String[] headers) {}

  private final HttpServer server;
  private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  FakeGateway() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  FakeGateway on(String method, String path, int status, String body, String... headers) {
    answers
        .computeIfAbsent(method + " " + path, k -> new ArrayDeque<>())
        .add(new Answer(status, body, headers));
    return this;
  }

  static String run(String id, String state) {
    return """
        {"id":"%s","pipeline":"digest","version":"0123456789ab","tenant":"dev","state":"%s",
         "stage_index":1,"current_stage":"notify","attempts":3,"failed_stage":"notify",
         "error":"http_503: hook down","output":{"summary":"hi"},"stages":[]}"""
        .formatted(id, state);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
    requests.add(
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().getFirst("Idempotency-Key"),
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
    Deque<Answer> queue = answers.get(key);
    Answer answer;
    synchronized (this) {
      answer =
          queue == null
              ? new Answer(404, "{\"error\":{\"message\":\"nothing canned\"}}", new String[0])
              : queue.size() > 1 ? queue.removeFirst() : queue.getFirst();
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    for (int i = 0; i + 1 < answer.headers().length; i += 2) {
      exchange.getResponseHeaders().set(answer.headers()[i], answer.headers()[i + 1]);
    }
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
