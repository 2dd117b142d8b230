package dev.ballast.providers.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP exchange whose headers have arrived and whose body is still to be read under the
 * attempt's deadlines. Closing it releases the connection: a fully read body returns it to the
 * pool, an abandoned one closes it.
 */
final class Exchange implements AutoCloseable {
  private static final long MAX_PRESIZED_BODY = 16 * 1024 * 1024;

  private final int status;
  private final HttpHeaders headers;
  private InputStream body;
  private long maxBytes = Long.MAX_VALUE;
  private final AttemptGuard guard;

  Exchange(int status, HttpHeaders headers, InputStream body, AttemptGuard guard) {
    this.status = status;
    this.headers = headers;
    this.body = new GuardedInputStream(body, guard);
    this.guard = guard;
  }

  int status() {
    return status;
  }

  HttpHeaders headers() {
    return headers;
  }

  InputStream body() {
    return body;
  }

  /** Caps the body at {@code maxBytes}; reading past it fails as too large. */
  Exchange bounded(long maxBytes) {
    this.maxBytes = maxBytes;
    body = new BoundedInputStream(body, maxBytes);
    return this;
  }

  AttemptGuard guard() {
    return guard;
  }

  /** Reads the whole body; a deadline or a broken connection becomes a ProviderException. */
  String bodyAsString() {
    try {
      return new String(bodyBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      // A body cut between bytes is not a connection that failed to answer: say what it was.
      throw readFailure(e, ErrorClass.CONNECTION_RESET);
    }
  }

  /**
   * With a declared length the body is read into one array of that size; {@code readAllBytes} would
   * allocate and copy through 16 KiB buffers for every small JSON answer.
   */
  private byte[] bodyBytes() throws IOException {
    long declared = declaredLength();
    if (declared > maxBytes) {
      throw new BoundedInputStream.TooLarge(maxBytes);
    }
    if (declared < 0
        || declared > MAX_PRESIZED_BODY
        || headers.firstValue("transfer-encoding").isPresent()) {
      return body.readAllBytes();
    }
    byte[] bytes = new byte[(int) declared];
    int n = body.readNBytes(bytes, 0, bytes.length);
    if (n < bytes.length) {
      throw new EOFException("body ended after " + n + " of " + declared + " bytes");
    }
    // Reading the end of the body lets the transport reuse the connection.
    if (body.read() != -1) {
      throw new IOException("body longer than its Content-Length of " + declared + " bytes");
    }
    return bytes;
  }

  /**
   * The Content-Length as a plain number, or -1. The transport has already framed the body by it; a
   * list such as {@code 2, 2} (legal when the items agree) is simply read without presizing.
   */
  private long declaredLength() {
    String value = headers.firstValue("content-length").orElse("");
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The exception for a failed read: the guard's verdict when it aborted the read, otherwise {@code
   * otherwise} (the connection broke on its own).
   */
  ProviderException readFailure(IOException e, ErrorClass otherwise) {
    if (guard.isExpired()) {
      return guard.failure();
    }
    if (e instanceof BoundedInputStream.TooLarge) {
      return new ProviderException(ErrorClass.UPSTREAM_RESPONSE_TOO_LARGE, e.getMessage(), e);
    }
    return new ProviderException(
        otherwise, "connection broke while reading the response: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    guard.close();
    try {
      body.close();
    } catch (IOException ignored) {
      // Closing only releases the connection; the answer (or its failure) is already known.
    }
  }
}
