package dev.ballast.providers.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One response on an {@link Http1Connection}: its head, then its body as a stream framed by
 * Content-Length, chunked transfer coding or the end of the connection. Bytes received before a
 * connection breaks are handed out before the failure.
 *
 * <p>Closing the body after it was read to the end, or when the rest of it has already arrived,
 * hands the connection back for reuse; closing it earlier, from any thread, closes the connection
 * and wakes a blocked read, as does {@link #abort()}, the deadline's way out. Closing is
 * idempotent, so a deadline that fires late can never touch a connection that already serves
 * another exchange. A response that breaks the HTTP/1.1 framing fails with a {@link
 * ProtocolException} that quotes the offending line.
 */
final class Http1Response extends InputStream {
  /**
   * The most bytes a response head may take, interim (1xx) responses included, and the most its
   * trailers may take: a server that never ends its head fails the exchange instead of filling the
   * heap or holding the thread until a deadline. LLM APIs send heads of a few hundred bytes.
   */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  private enum Framing {
    LENGTH,
    CHUNKED,
    UNTIL_CLOSE
  }

  private final Http1Connection connection;
  private final Consumer<Http1Connection> release;
  // The most bytes close() reads to finish a body whose rest has already arrived.
  private static final int MAX_FINISH_BYTES = 64 * 1024;

  private final AtomicBoolean closed = new AtomicBoolean();
  // Set while a read is in progress, so that a close from another thread never touches the buffer.
  private volatile boolean reading;

  private static final String HEAD = "the response head";

  private int headBudget = MAX_HEAD_BYTES;
  private int status;
  private HttpHeaders headers;
  private boolean reusable;
  private Framing framing;
  private long remaining; // bytes left: of the body (LENGTH) or of the current chunk (CHUNKED)
  private boolean firstChunk = true;
  private volatile boolean ended;

  /**
   * @param release takes the connection back after the body was read to its end
   */
  Http1Response(Http1Connection connection, Consumer<Http1Connection> release) {
    this.connection = connection;
    this.release = release;
  }

  Http1Connection connection() {
    return connection;
  }

  /** Reads the status line and headers, skipping interim 1xx responses. */
  void readHead() throws IOException {
    boolean http11;
    Map<String, List<String>> fields;
    do {
      String statusLine = headLine(HEAD);
      if (!isStatusLine(statusLine)) {
        throw new ProtocolException(
            "not an HTTP/1.x status line: \"" + abbreviate(statusLine) + '"');
      }
      http11 = statusLine.charAt(7) != '0';
      status = parseStatus(statusLine);
      fields = readFields();
    } while (status >= 100 && status < 200);
    headers = HttpHeaders.of(fields, (name, value) -> true);
    String connectionHeader = headers.firstValue("connection").orElse("");
    reusable = http11 && !connectionHeader.toLowerCase(Locale.ROOT).contains("close");
    frame();
  }

  /** "HTTP/1.x NNN" and, optionally, a space and a reason phrase. */
  private static boolean isStatusLine(String line) {
    return line.startsWith("HTTP/1.")
        && line.length() >= 12
        && line.charAt(8) == ' '
        && (line.length() == 12 || line.charAt(12) == ' ');
  }

  /** Three digits, 100 to 999; {@code Integer.parseInt} would also take a sign. */
  private static int parseStatus(String statusLine) throws IOException {
    int status = 0;
    for (int i = 9; i < 12; i++) {
      char c = statusLine.charAt(i);
      if (c < '0' || c > '9') {
        status = -1;
        break;
      }
      status = status * 10 + (c - '0');
    }
    if (status < 100) {
      throw new ProtocolException("bad status code in: \"" + abbreviate(statusLine) + '"');
    }
    return status;
  }

  private Map<String, List<String>> readFields() throws IOException {
    Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String line = headLine(HEAD); !line.isEmpty(); line = headLine(HEAD)) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ProtocolException("malformed header line: \"" + abbreviate(line) + '"');
      }
      fields
          .computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>(1))
          .add(line.substring(colon + 1).trim());
    }
    return fields;
  }

  /**
   * Chooses the body's framing as RFC 9112 section 6.3 orders it. A response with both chunked
   * coding and a Content-Length is framed by its chunks, but such a response is how request
   * smuggling and response splitting look, so its connection carries nothing more. Content-Length
   * values that disagree leave no trustworthy framing at all: the response is refused.
   */
  private void frame() throws IOException {
    String transferEncoding = headers.firstValue("transfer-encoding").orElse(null);
    boolean hasLength = headers.firstValue("content-length").isPresent();
    if (status == 204 || status == 304) {
      framing = Framing.LENGTH;
      remaining = 0;
    } else if (transferEncoding != null) {
      if (!transferEncoding.toLowerCase(Locale.ROOT).endsWith("chunked")) {
        framing = Framing.UNTIL_CLOSE;
        reusable = false;
      } else {
        framing = Framing.CHUNKED;
        reusable &= !hasLength;
      }
    } else if (hasLength) {
      framing = Framing.LENGTH;
      remaining = contentLength();
    } else {
      framing = Framing.UNTIL_CLOSE;
      reusable = false;
    }
    if (framing == Framing.LENGTH && remaining == 0) {
      ended = true;
    }
  }

  /** The one length that every Content-Length field (and every item of a list) states. */
  private long contentLength() throws IOException {
    long length = -1;
    for (String field : headers.allValues("content-length")) {
      for (String item : field.split(",", -1)) {
        long value = parseLength(item.trim());
        if (length >= 0 && value != length) {
          throw new ProtocolException(
              "conflicting Content-Length values: " + headers.allValues("content-length"));
        }
        length = value;
      }
    }
    return length;
  }

  private static long parseLength(String value) throws IOException {
    try {
      long length = Long.parseLong(value);
      if (length >= 0 && !value.startsWith("+")) {
        return length;
      }
    } catch (NumberFormatException e) {
      // Reported below with the value.
    }
    throw new ProtocolException("bad Content-Length: \"" + abbreviate(value) + '"');
  }

  int status() {
    return status;
  }

  HttpHeaders headers() {
    return headers;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int length) throws IOException {
    // Announced before the closed check, which close() mirrors: one of the two sees the other.
    reading = true;
    try {
      if (closed.get()) {
        throw new IOException("closed");
      }
      return readFraming(target, offset, length);
    } finally {
      reading = false;
    }
  }

  private int readFraming(byte[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (ended) {
      return -1;
    }
    return switch (framing) {
      case LENGTH -> readFixed(target, offset, length);
      case CHUNKED -> readChunked(target, offset, length);
      case UNTIL_CLOSE -> readUntilClose(target, offset, length);
    };
  }

  private int readFixed(byte[] target, int offset, int length) throws IOException {
    int n = connection.read(target, offset, (int) Math.min(length, remaining));
    if (n < 0) {
      throw new EOFException("connection closed with " + remaining + " bytes of the body missing");
    }
    remaining -= n;
    if (remaining == 0) {
      ended = true;
    }
    return n;
  }

  private int readChunked(byte[] target, int offset, int length) throws IOException {
    if (remaining == 0) {
      if (!firstChunk) {
        expectEmptyLine();
      }
      firstChunk = false;
      remaining = chunkSize();
      if (remaining == 0) {
        // The last chunk; trailer fields (rarely sent) end with an empty line.
        headBudget = MAX_HEAD_BYTES;
        while (!headLine("a chunked body's trailers").isEmpty()) {}
        ended = true;
        return -1;
      }
    }
    int n = connection.read(target, offset, (int) Math.min(length, remaining));
    if (n < 0) {
      throw new EOFException("connection closed in the middle of a chunked body");
    }
    remaining -= n;
    return n;
  }

  /** The next line of the head or the trailers, counted against their shared size limit. */
  private String headLine(String part) throws IOException {
    String line = connection.readLine(part);
    headBudget -= line.length() + 2;
    if (headBudget < 0) {
      throw new ProtocolException(part + " is longer than " + MAX_HEAD_BYTES + " bytes");
    }
    return line;
  }

  private void expectEmptyLine() throws IOException {
    if (!connection.readLine("a chunked body").isEmpty()) {
      throw new ProtocolException("chunk data not followed by CRLF");
    }
  }

  private long chunkSize() throws IOException {
    String line = connection.readLine("a chunked body");
    int end = line.indexOf(';');
    String hex = (end < 0 ? line : line.substring(0, end)).trim();
    try {
      long size = Long.parseLong(hex, 16);
      if (size >= 0) {
        return size;
      }
    } catch (NumberFormatException e) {
      // Reported below with the line.
    }
    throw new ProtocolException("bad chunk size line: \"" + abbreviate(line) + '"');
  }

  private int readUntilClose(byte[] target, int offset, int length) throws IOException {
    int n = connection.read(target, offset, length);
    if (n < 0) {
      ended = true;
    }
    return n;
  }

  @Override
  public int available() {
    if (ended || closed.get()) {
      return 0;
    }
    int buffered = connection.buffered();
    return framing == Framing.UNTIL_CLOSE ? buffered : (int) Math.min(buffered, remaining);
  }

  /**
   * Hands the connection back when the body was read to its end, or when its rest has already
   * arrived (a stream is read up to its terminating event, and the last chunk usually comes in the
   * same packet): that rest is read without waiting. Otherwise closes the connection, which wakes a
   * read blocked on it. The rest is never read while another thread is reading.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (!ended && reusable && framing != null && !reading) {
      finishWithoutWaiting();
    }
    // Bytes beyond the end of the response would be read as the start of the next one.
    if (ended && reusable && connection.buffered() == 0) {
      release.accept(connection);
    } else {
      connection.close();
    }
  }

  /** Closes the connection whatever was read: how a deadline ends the exchange. */
  void abort() {
    if (closed.compareAndSet(false, true)) {
      connection.close();
    }
  }

  private void finishWithoutWaiting() {
    byte[] discard = new byte[4096];
    try {
      connection.waitless(true);
      for (int budget = MAX_FINISH_BYTES; !ended && budget > 0; ) {
        int n = readFraming(discard, 0, Math.min(discard.length, budget));
        if (n < 0) {
          break;
        }
        budget -= n;
      }
      connection.waitless(false);
    } catch (IOException e) {
      // Not all of it is here (or the connection broke): it is closed below, not reused.
      ended = false;
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }
}
