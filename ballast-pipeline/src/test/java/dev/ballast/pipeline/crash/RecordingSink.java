package dev.ballast.pipeline.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ballast.core.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook receiver that deduplicates by {@code Idempotency-Key}, as docs/queue.md requires of
 * every receiver of effects, and records what it saw: how often each key was delivered, apart from
 * how often it was applied. The first delivery of a key applies it (the receiver's side effect) and
 * stores the answer; a repeat is answered 200 with the stored answer and applies nothing.
 *
 * <p>The answer leaves after a random delay, after the effect was applied: a worker killed in that
 * window has caused the effect but not checkpointed it, so its successor delivers the key again.
 * That is the redelivery the ledger cannot prevent, and the reason the receiver deduplicates.
 */
final class RecordingSink implements AutoCloseable {
  static final String PATH = "/hook";

  private final HttpServer server;
  private final Duration maxDelay;
  private final Map<String, Key> keys = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong withoutKey = new AtomicLong();
  private final AtomicLong cutOff = new AtomicLong();

  /** What the sink knows of one effect key. */
  static final class Key {
    final JsonNode firstBody;
    final byte[] answer;
    final AtomicLong deliveries = new AtomicLong();
    final AtomicLong applied = new AtomicLong();
    volatile boolean bodiesDiffer;

    Key(JsonNode firstBody, byte[] answer) {
      this.firstBody = firstBody;
      this.answer = answer;
    }
  }

  /** A snapshot of one key: {@code applied} must be 1 whatever {@code deliveries} is. */
  record KeyStats(long deliveries, long applied, JsonNode body, boolean bodiesDiffer) {}

  private RecordingSink(HttpServer server, Duration maxDelay) {
    this.server = server;
    this.maxDelay = maxDelay;
  }

  /**
   * @param maxDelay the longest random delay between applying a delivery and answering it
   */
  static RecordingSink start(Duration maxDelay) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    RecordingSink sink = new RecordingSink(server, maxDelay);
    server.createContext(PATH, sink::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return sink;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  /** The receipt the sink answers for {@code key}: derived from it, so a repeat gets the same. */
  static String receipt(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "rcpt-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      JsonNode body;
      try {
        body = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
      } catch (IOException e) {
        // The sender was killed while sending: nothing arrived that could be applied.
        cutOff.incrementAndGet();
        return;
      }
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      if (key == null) {
        withoutKey.incrementAndGet();
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      Key record = keys.computeIfAbsent(key, k -> new Key(body, answer(k, body)));
      if (record.deliveries.incrementAndGet() == 1) {
        record.applied.incrementAndGet();
      } else if (!record.firstBody.equals(body)) {
        record.bodiesDiffer = true;
      }
      delay();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, record.answer.length);
      exchange.getResponseBody().write(record.answer);
    }
  }

  private static byte[] answer(String key, JsonNode body) {
    try {
      return Json.mapper()
          .writeValueAsBytes(
              JsonNodeFactory.instance
                  .objectNode()
                  .put("receipt", receipt(key))
                  .set("n", body.get("n")));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void delay() {
    if (maxDelay.isPositive()) {
      try {
        Thread.sleep(ThreadLocalRandom.current().nextLong(maxDelay.toMillis() + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  Map<String, KeyStats> keys() {
    Map<String, KeyStats> out = new ConcurrentHashMap<>();
    keys.forEach(
        (k, v) ->
            out.put(
                k, new KeyStats(v.deliveries.get(), v.applied.get(), v.firstBody, v.bodiesDiffer)));
    return out;
  }

  long requests() {
    return requests.get();
  }

  long requestsWithoutKey() {
    return withoutKey.get();
  }

  /** Requests whose body never fully arrived (their sender died mid-request). */
  long requestsCutOff() {
    return cutOff.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
