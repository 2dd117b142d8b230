package dev.ballast.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A tiny HTTP/1.1 server on a real socket whose answer is a script with byte-level control, so
 * tests can send canned provider payloads and also misbehave: stay silent, stall a stream, cut it
 * or reset the connection. Every request is recorded.
 */
final class WireServer implements AutoCloseable {
  /** What a test's server does with one request. */
  @FunctionalInterface
  interface Script {
    void respond(Request request, Wire wire) throws IOException, InterruptedException;
  }

  record Request(String method, String path, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    JsonNode json() throws IOException {
      return Json.mapper().readTree(body);
    }
  }

  private final ServerSocket serverSocket;
  private final Script script;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  private WireServer(Script script) throws IOException {
    this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.script = script;
    Thread.ofVirtual().name("wire-server-accept").start(this::acceptLoop);
  }

  static WireServer start(Script script) throws IOException {
    return new WireServer(script);
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + serverSocket.getLocalPort());
  }

  List<Request> requests() {
    return requests;
  }

  Request lastRequest() {
    return requests.getLast();
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try {
        Socket socket = serverSocket.accept();
        sockets.add(socket);
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      Request request = read(socket.getInputStream());
      requests.add(request);
      script.respond(request, new Wire(socket));
    } catch (IOException | InterruptedException e) {
      // The client went away or the test ended; either way this connection is done.
    }
  }

  private static Request read(InputStream in) throws IOException {
    String[] requestLine = line(in).split(" ");
    Map<String, String> headers = new TreeMap<>();
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new Request(requestLine[0], requestLine[1], headers, body);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("request ended early");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    serverSocket.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  /** The response side of one connection. */
  final class Wire {
    private final Socket socket;
    private final OutputStream out;

    Wire(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
    }

    /** A complete response with a Content-Length body; extra headers as "Name: value". */
    void respond(int status, String body, String... headers) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
      head.append("Content-Type: application/json\r\n");
      for (String header : headers) {
        head.append(header).append("\r\n");
      }
      head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
    }

    /** Starts a chunked response; send the body with {@link #chunk}. */
    void startStream(String contentType) throws IOException {
      String head =
          "HTTP/1.1 200 OK\r\nContent-Type: "
              + contentType
              + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    void chunk(String text) throws IOException {
      chunk(text.getBytes(StandardCharsets.UTF_8));
    }

    void chunk(byte[] bytes) throws IOException {
      out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    /** Ends the chunked body properly. */
    void endStream() throws IOException {
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    /**
     * Closes the connection in the middle of a response, without the chunked terminator. Unlike
     * {@link #reset}, everything written before is still delivered.
     */
    void cut() throws IOException {
      socket.shutdownOutput();
      socket.close();
    }

    /** Aborts the connection with a TCP reset; unread data may be lost on the client's side. */
    void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }

    /** Says nothing more until the test closes the server. */
    void hang() throws InterruptedException {
      closed.await();
    }
  }
}
