package dev.ballast.simulator.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes one response, with the byte-level control faults need: a reset before any header, a body
 * cut short, a connection kept open without sending anything. After a fault the connection is not
 * reused.
 */
public final class HttpExchange {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private boolean reusable;

  HttpExchange(Socket socket, InputStream in, OutputStream out, boolean keepAlive) {
    this.socket = socket;
    this.in = in;
    this.out = out;
    this.reusable = keepAlive;
  }

  boolean reusable() {
    return reusable;
  }

  /** A complete response with a {@code Content-Length} body. */
  public void respond(int status, String contentType, byte[] body, Map<String, String> headers)
      throws IOException {
    sendHeaders(status, contentType, body.length, headers);
    out.write(body);
    out.flush();
  }

  /** Status line and headers announcing {@code length} body bytes, flushed. */
  public void sendHeaders(int status, String contentType, long length, Map<String, String> headers)
      throws IOException {
    StringBuilder head = statusLine(status, contentType, headers);
    head.append("Content-Length: ").append(length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Writes part of a body announced by {@link #sendHeaders}, flushed. */
  public void sendBody(byte[] bytes, int from, int to) throws IOException {
    out.write(bytes, from, to - from);
    out.flush();
  }

  /** Starts a chunked response, so each event can be flushed as it is produced. */
  public void startStream(int status, String contentType) throws IOException {
    StringBuilder head = statusLine(status, contentType, Map.of());
    head.append("Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Sends one event as one chunk and flushes it. */
  public void sendChunk(String text) throws IOException {
    sendChunk(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one event's bytes as one chunk and flushes it. */
  public void sendChunk(byte[] bytes) throws IOException {
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write(CRLF);
    out.flush();
  }

  /** Ends a chunked response cleanly. */
  public void endStream() throws IOException {
    out.write(LAST_CHUNK);
    out.flush();
  }

  /** Closes the connection with SO_LINGER 0 so the client sees a TCP reset, not a clean close. */
  public void reset() throws IOException {
    reusable = false;
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** Closes the connection in the middle of a response (what a crashed upstream looks like). */
  public void cut() throws IOException {
    reusable = false;
    out.flush();
    socket.close();
  }

  /**
   * Sends nothing more and waits until the client gives up and closes the connection or the server
   * stops (which closes the socket and interrupts this thread).
   */
  public void hangUntilClosed() throws IOException {
    reusable = false;
    out.flush();
    try {
      while (in.read() != -1) {
        // Whatever the client sends is ignored: this request is never answered.
      }
    } catch (IOException closed) {
      // Closed by either side: that is the end of the hang, not an error.
    }
    socket.close();
  }

  private StringBuilder statusLine(int status, String contentType, Map<String, String> headers) {
    StringBuilder head = new StringBuilder(160);
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    head.append("Content-Type: ").append(contentType).append("\r\n");
    head.append("Connection: ").append(reusable ? "keep-alive" : "close").append("\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    return head;
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 529 -> "Overloaded";
      default -> "Status";
    };
  }

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
}
