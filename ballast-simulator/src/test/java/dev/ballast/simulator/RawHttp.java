package dev.ballast.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A bare socket client for the faults the JDK client hides: it reports whether the server closed
 * the connection or went quiet, and returns the raw bytes (chunk framing included).
 */
final class RawHttp {
  record Result(String body, boolean closedByPeer, boolean timedOut) {}

  private RawHttp() {}

  /**
   * Posts and reads until the server closes the connection or goes quiet. The first bytes may take
   * long on a loaded machine (10 s); after them, a second without a byte counts as quiet (a stall).
   */
  static Result post(SimulatorServer server, String path, String json) throws IOException {
    try (Socket socket = new Socket(server.baseUri().getHost(), server.port())) {
      socket.setSoTimeout(10_000);
      write(socket.getOutputStream(), path, json, false);
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) != -1; ) {
          received.write(buf, 0, n);
          socket.setSoTimeout(1_000);
        }
        return new Result(received.toString(StandardCharsets.UTF_8), true, false);
      } catch (SocketTimeoutException quiet) {
        return new Result(received.toString(StandardCharsets.UTF_8), false, true);
      }
    }
  }

  /** Sends two requests on one connection and counts the complete responses. */
  static int twoRequestsOnOneConnection(SimulatorServer server, String json) throws IOException {
    try (Socket socket = new Socket(server.baseUri().getHost(), server.port())) {
      socket.setSoTimeout(2000);
      write(socket.getOutputStream(), "/v1/chat/completions", json, false);
      write(socket.getOutputStream(), "/v1/chat/completions", json, true);
      String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return all.split("HTTP/1.1 200 OK", -1).length - 1;
    }
  }

  private static void write(OutputStream out, String path, String json, boolean close)
      throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + (close ? "Connection: close\r\n" : "")
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }
}
