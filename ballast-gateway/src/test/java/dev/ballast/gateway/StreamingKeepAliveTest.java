package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streamed answers on a reused (keep-alive) connection are not delayed by the interaction of
 * Nagle's algorithm on the server with delayed ACKs on the client: without {@code TCP_NODELAY} on
 * accepted sockets, every streamed answer after the first on a connection ended about 40 ms late,
 * because its last small write waited for an ACK the client was holding back.
 *
 * <p>The check compares like with like, so that a loaded machine slows both sides: the fastest of
 * several answers on one reused connection against the fastest of as many answers on fresh
 * connections (whose first answer never stalls). The stall adds at least 40 ms to every reused
 * answer; the bound leaves room for noise (the gateway benchmark holds the real figures).
 */
class StreamingKeepAliveTest {
  private static final int REQUESTS = 8;
  private static final long STALL_BOUND_MS = 25;

  @TempDir Path dataDir;

  @Test
  void streamedAnswersOnAReusedConnectionAreNotStalled() throws Exception {
    try (TestGateway gw = new TestGateway(dataDir)) {
      int port = gw.gateway.port();
      byte[] request = streamedChatRequest(port);
      List<Long> fresh = new ArrayList<>();
      for (int i = 0; i <= REQUESTS; i++) {
        try (Socket socket = open(port)) {
          long millis = timed(socket, request);
          if (i > 0) { // the very first answer warms the path
            fresh.add(millis);
          }
        }
      }
      List<Long> reused = new ArrayList<>();
      try (Socket socket = open(port)) {
        timed(socket, request); // the connection's first answer is not a reuse
        for (int i = 0; i < REQUESTS; i++) {
          reused.add(timed(socket, request));
        }
      }
      assertThat(Collections.min(reused) - Collections.min(fresh))
          .as("fastest reused minus fastest fresh, ms (reused %s, fresh %s)", reused, fresh)
          .isLessThan(STALL_BOUND_MS);
    }
  }

  private static Socket open(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Sends one streamed request and reads its whole answer; returns the milliseconds it took. */
  private static long timed(Socket socket, byte[] request) throws IOException {
    long start = System.nanoTime();
    OutputStream out = socket.getOutputStream();
    out.write(request);
    out.flush();
    String body = readChunkedResponse(socket.getInputStream());
    assertThat(body).contains("data: [DONE]");
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static byte[] streamedChatRequest(int port) {
    String body =
        "{\"model\":\"default\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    String head =
        "POST /v1/chat/completions HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\nAuthorization: Bearer "
            + TestGateway.KEY
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\n\r\n";
    return (head + body).getBytes(StandardCharsets.UTF_8);
  }

  /** Reads one response with a chunked body and returns the body; the connection stays open. */
  private static String readChunkedResponse(InputStream in) throws IOException {
    String statusAndHeaders = readUntilBlankLine(in);
    assertThat(statusAndHeaders).startsWith("HTTP/1.1 200").containsIgnoringCase("chunked");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
      if (size == 0) {
        readUntilBlankLine(in); // trailers, if any, end with an empty line
        return body.toString(StandardCharsets.UTF_8);
      }
      body.write(in.readNBytes(size));
      readLine(in); // the CRLF after the chunk
    }
  }

  private static String readUntilBlankLine(InputStream in) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      lines.append(line).append('\n');
    }
    return lines.toString();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed in the middle of a line: " + line);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
