package dev.ballast.simulator.internal.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small HTTP/1.1 server: one virtual thread per connection, keep-alive, one request at a time per
 * connection. Closing it closes every open connection and interrupts their threads, so silent or
 * stalled exchanges end with the server.
 */
public final class HttpServerLoop implements AutoCloseable {
  private final ServerSocket serverSocket;
  private final HttpHandler handler;
  private final Map<Socket, Thread> connections = new ConcurrentHashMap<>();
  private final Thread acceptor;
  private volatile boolean closed;

  public HttpServerLoop(InetAddress bindAddress, int port, HttpHandler handler) {
    this.handler = handler;
    try {
      this.serverSocket = new ServerSocket(port, 512, bindAddress);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port, e);
    }
    this.acceptor = Thread.ofVirtual().name("sim-accept-" + port()).start(this::acceptLoop);
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = serverSocket.accept();
        socket.setTcpNoDelay(true);
        Thread thread = Thread.ofVirtual().unstarted(() -> serve(socket));
        connections.put(socket, thread);
        thread.start();
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
      HttpRequestReader reader = new HttpRequestReader(in, out);
      HttpRequest request;
      while (!closed && (request = reader.read()) != null) {
        HttpExchange exchange =
            new HttpExchange(socket, in, out, request.keepAlive(reader.version()));
        handler.handle(request, exchange);
        if (!exchange.reusable() || socket.isClosed()) {
          return;
        }
      }
    } catch (SocketException | InterruptedException e) {
      // The client went away or the server is stopping: nothing to answer any more.
    } catch (IOException e) {
      // A malformed request or a broken pipe ends only this connection.
    } finally {
      connections.remove(socket);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      serverSocket.close();
    } catch (IOException ignored) {
      // Already closed.
    }
    connections.forEach(
        (socket, thread) -> {
          thread.interrupt();
          try {
            socket.close();
          } catch (IOException ignored) {
            // Closing is all we wanted.
          }
        });
    acceptor.interrupt();
  }
}
