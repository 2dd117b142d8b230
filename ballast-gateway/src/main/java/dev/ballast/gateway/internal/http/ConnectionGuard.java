package dev.ballast.gateway.internal.http;

import dev.ballast.core.config.ServerLimits;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps clients from holding a node's connections by sending slowly or not at all: the server
 * itself has no read timeout once a request has begun, so a client that trickles its headers
 * (slowloris) or stops in the middle of its body would hold a connection, and a thread, forever.
 *
 * <p>Told by the HTTP/1 server about each connection's progress (as its receive and send listener),
 * it gives every request a deadline for its head ({@code request_head}) and, while its body
 * arrives, for each pause between bytes ({@code body_progress}); a watchdog answers an overdue
 * request 408 and closes its connection. Nothing is timed once the response has started: a long
 * stream is the gateway's to end. It also caps the connections with a request in progress per
 * client address ({@code connections_per_client}), answering 429 beyond it. Idle keep-alive
 * connections are closed by the server's own idle timeout. Listener calls never block.
 */
public final class ConnectionGuard implements Http1ConnectionListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final long CHECK_EVERY_MS = 250;

  private enum Phase {
    HEAD,
    BODY,
    ANSWERING
  }

  private static final class Tracked {
    final ConnectionContext ctx;
    final String client;
    volatile Phase phase = Phase.HEAD;
    volatile long deadline;

    Tracked(ConnectionContext ctx) {
      this.ctx = ctx;
      this.client = ctx.remotePeer().host();
    }
  }

  private final ServerLimits limits;
  // By connection id: the listener sees a connection's context, a request handler only its id.
  private final Map<String, Tracked> connections = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> perClient = new ConcurrentHashMap<>();
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("ballast-connection-guard").unstarted(r));

  public ConnectionGuard(ServerLimits limits) {
    this.limits = limits;
    watchdog.scheduleWithFixedDelay(
        this::enforce, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
    Tracked tracked = connections.get(id(ctx));
    if (tracked == null) {
      tracked = new Tracked(ctx);
      int held =
          perClient.computeIfAbsent(tracked.client, c -> new AtomicInteger()).incrementAndGet();
      connections.put(id(ctx), tracked);
      if (limits.connectionsPerClient() > 0 && held > limits.connectionsPerClient()) {
        // Refused, so not held: the count is of connections that are served.
        forget(id(ctx), tracked);
        throw RequestException.builder()
            .type(DirectHandler.EventType.OTHER)
            .status(Status.TOO_MANY_REQUESTS_429)
            .setKeepAlive(false)
            .safeMessage(true)
            .message(
                "Too many connections from "
                    + tracked.client
                    + " (server.limits.connections_per_client is "
                    + limits.connectionsPerClient()
                    + ").")
            .build();
      }
    }
    tracked.phase = Phase.HEAD;
    tracked.deadline = System.nanoTime() + limits.requestHead().toNanos();
  }

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    Tracked tracked = connections.get(id(ctx));
    if (tracked == null) {
      return;
    }
    boolean body =
        headers.contentLength().orElse(0) > 0
            || headers
                .first(HeaderNames.TRANSFER_ENCODING)
                .map(v -> v.toLowerCase(java.util.Locale.ROOT).contains("chunked"))
                .orElse(false);
    if (body) {
      tracked.deadline = System.nanoTime() + limits.bodyProgress().toNanos();
      tracked.phase = Phase.BODY;
    } else {
      tracked.phase = Phase.ANSWERING;
    }
  }

  /**
   * The listener for what the server sends: a response that starts means the request was read
   * whole, and from then on nothing is timed. (The receive listener must not be it: it would see
   * the response's headers as if they were a request's.)
   */
  Http1ConnectionListener responses() {
    return new Http1ConnectionListener() {
      @Override
      public void status(ConnectionContext ctx, Status status) {
        answering(connections.get(id(ctx)));
      }
    };
  }

  /** A handler read the whole body: what follows is the gateway's work, not the client's. */
  void bodyComplete(ServerRequest request) {
    answering(connections.get(id(request)));
  }

  private static void answering(Tracked tracked) {
    if (tracked != null) {
      tracked.phase = Phase.ANSWERING;
    }
  }

  /**
   * Part of a request's body arrived: the pause allowed starts again. The server reads bodies only
   * when a handler asks, so the handler reports each read ({@link Requests}).
   */
  void bodyProgress(ServerRequest request) {
    Tracked tracked = connections.get(id(request));
    if (tracked != null && tracked.phase == Phase.BODY) {
      tracked.deadline = System.nanoTime() + limits.bodyProgress().toNanos();
    }
  }

  private static String id(ConnectionContext ctx) {
    return ctx.socketId() + "/" + ctx.childSocketId();
  }

  private static String id(ServerRequest request) {
    return request.serverSocketId() + "/" + request.socketId();
  }

  /** Connections with a request in progress or kept alive, for status and tests. */
  int tracked() {
    return connections.size();
  }

  private void enforce() {
    long now = System.nanoTime();
    for (var entry : connections.entrySet()) {
      Tracked tracked = entry.getValue();
      ConnectionContext ctx = tracked.ctx;
      try {
        if (!ctx.serverSocket().isConnected()) {
          forget(entry.getKey(), tracked);
        } else if (tracked.phase != Phase.ANSWERING && now - tracked.deadline > 0) {
          timeOut(entry.getKey(), tracked);
        }
      } catch (RuntimeException e) {
        // A connection that fails while we look at it is gone; the next round forgets it.
        LOG.debug("connection guard: {}", e.toString());
      }
    }
  }

  private void timeOut(String id, Tracked tracked) {
    ConnectionContext ctx = tracked.ctx;
    boolean head = tracked.phase == Phase.HEAD;
    String why =
        head
            ? "the request head was not complete within "
                + limits.requestHead().toMillis()
                + " ms (server.limits.request_head)"
            : "the request body paused for more than "
                + limits.bodyProgress().toMillis()
                + " ms (server.limits.body_progress)";
    LOG.info("closed a connection from {}: {}", tracked.client, why);
    byte[] body =
        ("{\"error\":{\"message\":\"Request timeout: "
                + why
                + ".\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"request_timeout\"}}")
            .getBytes(StandardCharsets.UTF_8);
    String head408 =
        "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    try {
      ctx.dataWriter().writeNow(BufferData.create(head408.getBytes(StandardCharsets.US_ASCII)));
      ctx.dataWriter().writeNow(BufferData.create(body));
    } catch (RuntimeException e) {
      // The client may already be gone; closing is what matters.
    }
    forget(id, tracked);
    ctx.serverSocket().close();
  }

  private void forget(String id, Tracked tracked) {
    if (connections.remove(id, tracked)) {
      perClient.computeIfPresent(tracked.client, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }
}
