package dev.ballast.gateway;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible upstream over a real socket whose identity and latency a test changes while
 * it serves: the answering model id, the {@code system_fingerprint}, and a log-normal delay before
 * each answer (seeded, so runs repeat).
 */
final class DriftingUpstream implements AutoCloseable {
  volatile String model = "gpt-test-2024-01-01";
  volatile String fingerprint = "fp_a1";
  volatile double medianDelayMs = 30;

  private final Random rng = new Random(7);
  private final HttpServer server;

  DriftingUpstream() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          sleep(delay());
          byte[] body =
              """
              {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"%s",
               "system_fingerprint":"%s",
               "choices":[{"index":0,"message":{"role":"assistant","content":"A steady answer."},
                           "finish_reason":"stop"}],
               "usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16}}"""
                  .formatted(model, fingerprint)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("content-type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private synchronized long delay() {
    return Math.round(medianDelayMs * Math.exp(0.5 * rng.nextGaussian()));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
