package dev.ballast.providers.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server on a loopback socket whose handler owns each accepted connection and writes raw bytes,
 * so that tests control the HTTP/1.1 framing, keep-alive and closing byte by byte. Counts accepted
 * connections and records every request with the number of the connection that carried it.
 */
final class LoopbackServer implements AutoCloseable {
  /** What the server does with one accepted connection. */
  @FunctionalInterface
  interface Handler {
    void serve(Connection connection) throws IOException, InterruptedException;
  }

  /** One request as received; {@code connection} counts accepted connections from 1. */
  record Request(int connection, String requestLine, List<String> headers, String body) {}

  private final ServerSocket serverSocket;
  private final Handler handler;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private LoopbackServer(Handler handler) throws IOException {
    this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.handler = handler;
    Thread.ofVirtual().name("loopback-accept").start(this::acceptLoop);
  }

  static LoopbackServer start(Handler handler) throws IOException {
    return new LoopbackServer(handler);
  }

  /** Answers every request on a connection with {@code response}, keeping the connection open. */
  static LoopbackServer answering(String response) throws IOException {
    return start(
        connection -> {
          while (connection.readRequest() != null) {
            connection.write(response);
          }
        });
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + serverSocket.getLocalPort());
  }

  int acceptedConnections() {
    return accepted.get();
  }

  List<Request> requests() {
    return requests;
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try {
        Socket socket = serverSocket.accept();
        sockets.add(socket);
        Connection connection = new Connection(socket, accepted.incrementAndGet());
        Thread.ofVirtual().start(() -> serve(connection));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Connection connection) {
    try (Socket ignored = connection.socket) {
      handler.serve(connection);
    } catch (IOException | InterruptedException e) {
      // The client went away or the test ended; either way this connection is done.
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  /** The server's side of one accepted connection. */
  final class Connection {
    private final Socket socket;
    private final int number;
    private final InputStream in;
    private final OutputStream out;

    private Connection(Socket socket, int number) throws IOException {
      this.socket = socket;
      this.number = number;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    /** The next request on this connection, or null when the client closed it first. */
    Request readRequest() throws IOException {
      String requestLine = line();
      if (requestLine == null) {
        return null;
      }
      List<String> headers = new ArrayList<>();
      int length = 0;
      for (String line = line(); line != null && !line.isEmpty(); line = line()) {
        headers.add(line);
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      Request request = new Request(number, requestLine, headers, body);
      requests.add(request);
      return request;
    }

    private String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          return null;
        }
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes the text as ISO-8859-1 bytes, exactly as given, and flushes. */
    void write(String raw) throws IOException {
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    /** Sends nothing more and returns once the client closed the connection. */
    void awaitClientClose() throws IOException {
      while (in.read() >= 0) {
        // Anything the client still sends is ignored.
      }
    }

    /**
     * Sends a FIN but keeps reading: the client sees the end of the response stream while its
     * requests still arrive.
     */
    void halfClose() throws IOException {
      socket.shutdownOutput();
    }

    /** Closes the connection with a FIN; whatever was written is still delivered. */
    void close() throws IOException {
      socket.close();
    }
  }
}
