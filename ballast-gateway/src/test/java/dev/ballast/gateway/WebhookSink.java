package dev.ballast.gateway;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver over a real socket (the JDK's HTTP server) for {@code http_action} stages:
 * records every delivery and answers with a status a test can change.
 */
final class WebhookSink implements AutoCloseable {
  /** One request as received. */
  record Delivery(String path, String idempotencyKey, String runId, String body) {}

  final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  final AtomicInteger status = new AtomicInteger(200);

  /**
   * Deliveries are answered only once this gate is open (recorded first): a test closes it to hold
   * runs inside an {@code http_action} stage.
   */
  volatile CountDownLatch gate = new CountDownLatch(0);

  private final HttpServer server;

  WebhookSink() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          deliveries.add(
              new Delivery(
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                  exchange.getRequestHeaders().getFirst("X-Ballast-Run-Id"),
                  body));
          try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
              exchange.sendResponseHeaders(504, -1);
              exchange.close();
              return;
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] answer = "{\"received\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("content-type", "application/json");
          exchange.sendResponseHeaders(status.get(), answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Delivery> deliveriesFor(String runId) {
    return deliveries.stream().filter(d -> runId.equals(d.runId())).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
