package dev.ballast.client;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on a loopback port that answers with canned responses, in order, per method
 * and path; the last response for a path repeats. Records every request it receives.
 */
final class CannedGateway implements AutoCloseable {
  record Request(String method, String path, String query, Headers headers, String body) {
    String header(String name) {
      return headers.getFirst(name);
    }
  }

  private record Canned(int status, String contentType, String body, String[] headers) {}

  private final HttpServer server;
  private final Map<String, Deque<Canned>> canned = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch hold;

  private CannedGateway() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  static CannedGateway start() throws IOException {
    return new CannedGateway();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers the next {@code method path} with JSON; headers as name, value pairs. */
  CannedGateway on(String method, String path, int status, String json, String... headers) {
    return onRaw(method, path, status, "application/json", json, headers);
  }

  CannedGateway onRaw(
      String method, String path, int status, String contentType, String body, String... headers) {
    canned
        .computeIfAbsent(method + " " + path, k -> new ArrayDeque<>())
        .add(new Canned(status, contentType, body, headers));
    return this;
  }

  /** Makes every request wait until the returned latch is counted down. */
  CountDownLatch holdResponses() {
    hold = new CountDownLatch(1);
    return hold;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  Request lastRequest() {
    return requests.getLast();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    URI uri = exchange.getRequestURI();
    requests.add(
        new Request(
            exchange.getRequestMethod(),
            uri.getRawPath(),
            uri.getRawQuery(),
            exchange.getRequestHeaders(),
            body));
    awaitRelease();
    Canned answer = next(exchange.getRequestMethod() + " " + uri.getRawPath());
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    for (int i = 0; i + 1 < answer.headers().length; i += 2) {
      exchange.getResponseHeaders().set(answer.headers()[i], answer.headers()[i + 1]);
    }
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private Canned next(String key) {
    Deque<Canned> queue = canned.get(key);
    if (queue == null) {
      return new Canned(
          404,
          "application/json",
          "{\"error\":{\"type\":\"test\",\"code\":\"not_canned\",\"message\":\"nothing canned for "
              + key
              + "\"}}",
          new String[0]);
    }
    synchronized (queue) {
      return queue.size() > 1 ? queue.removeFirst() : queue.getFirst();
    }
  }

  private void awaitRelease() {
    CountDownLatch latch = hold;
    if (latch != null) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    CountDownLatch latch = hold;
    if (latch != null) {
      latch.countDown();
    }
    server.stop(0);
  }
}
