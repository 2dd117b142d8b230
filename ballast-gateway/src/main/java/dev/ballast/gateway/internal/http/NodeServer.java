package dev.ballast.gateway.internal.http;

import dev.ballast.core.BallastException;
import dev.ballast.core.config.ServerConfig;
import dev.ballast.core.config.ServerLimits;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A node's HTTP server: Helidon's virtual-thread server with the socket options, timeouts and
 * transport-level error answers that Ballast needs, and a start that fails loudly.
 *
 * <ul>
 *   <li>{@code TCP_NODELAY}: a streamed answer is many small writes. With Nagle's algorithm on, the
 *       last of them waits for the ACK of the one before, and a client on a reused connection
 *       delays that ACK by ~40 ms, so every streamed answer ended 40 ms late.
 *   <li>No server-level payload limit: the gateway's own limit ({@code server.max_body_bytes})
 *       answers 413 in the client's error shape, which a server-level rejection would not.
 *   <li>{@link ConnectionGuard} times request heads and bodies and caps connections per client; the
 *       server's own idle timeout closes keep-alive connections nobody uses.
 *   <li>A port that cannot be bound is an exception, never a server that runs on port -1.
 * </ul>
 */
public final class NodeServer implements AutoCloseable {
  private final WebServer server;
  private final ConnectionGuard guard;

  private NodeServer(WebServer server, ConnectionGuard guard) {
    this.server = server;
    this.guard = guard;
  }

  /**
   * Binds and starts the server, which owns {@code guard} from now on (closed with it).
   *
   * @throws BallastException naming the address when it cannot be bound
   */
  public static NodeServer start(
      ServerConfig config, Consumer<HttpRouting.Builder> routing, ConnectionGuard guard) {
    checkBindable(config.host(), config.port());
    ServerLimits limits = config.limits();
    DirectHandlers.Builder errors = DirectHandlers.builder();
    for (DirectHandler.EventType event : DirectHandler.EventType.values()) {
      errors.addHandler(event, new TransportErrors());
    }
    WebServer server;
    try {
      server =
          WebServer.builder()
              .host(config.host())
              .port(config.port())
              .connectionOptions(socket -> socket.tcpNoDelay(true))
              // Helidon's own hook would stop the server on SIGTERM at once, cutting requests in
              // flight; the node's drain (Gateway.close, from ballast serve's hook) stops it last.
              .shutdownHook(false)
              .idleConnectionTimeout(limits.idle())
              .idleConnectionPeriod(checkPeriod(limits.idle()))
              .directHandlers(errors.build())
              // One HTTP/1.1 protocol, ours, with the guard listening: with a second one (the
              // one services discovery adds), the server must read bytes to choose between them,
              // and a connection that sends nothing is never chosen, so never timed out.
              .protocolsDiscoverServices(false)
              .addProtocol(
                  Http1Config.builder()
                      .addReceiveListener(guard)
                      .addSendListener(guard.responses())
                      .build())
              .routing(routing)
              .build()
              .start();
    } catch (RuntimeException e) {
      guard.close();
      throw new BallastException(
          "could not start the HTTP server on " + address(config) + ": " + e.getMessage(), e);
    }
    if (server.port() < 0 || !server.isRunning()) {
      server.stop();
      guard.close();
      throw new BallastException(
          "could not listen on " + address(config) + " (the server's log above says why)");
    }
    return new NodeServer(server, guard);
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
    guard.close();
  }

  /**
   * Binding a socket first turns "address already in use" or "cannot assign requested address" into
   * an exception that names the address; the server itself would only log it. Called before a node
   * opens its store or starts anything, so that a taken port fails in milliseconds.
   *
   * @throws BallastException naming the address and the reason
   */
  public static void checkBindable(String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new BallastException(
          "could not listen on "
              + host
              + ":"
              + port
              + ": "
              + e.getMessage()
              + " (is another process using the port? set server.port or --port)");
    }
  }

  private static Duration checkPeriod(Duration idle) {
    Duration quarter = idle.dividedBy(4);
    return quarter.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : quarter;
  }

  private static String address(ServerConfig config) {
    return config.host() + ":" + config.port();
  }
}
