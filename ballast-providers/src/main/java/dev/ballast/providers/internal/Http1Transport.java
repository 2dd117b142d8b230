package dev.ballast.providers.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.spi.Timeouts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plain-http POSTs over pooled keep-alive HTTP/1.1 connections, read and written by the calling
 * thread. The JDK client hands every exchange between its selector thread, an executor and the
 * caller; on a virtual thread a blocking socket needs no hand-off at all, which makes this several
 * times cheaper per call. https stays with the JDK client, which negotiates HTTP/2.
 *
 * <p>A request is sent exactly once: it is never repeated on a new connection once it may have
 * reached the server, because a POST may have been acted on; the resilience chain decides about
 * another attempt. What makes a retry unnecessary is the look before reuse: every pooled connection
 * is read from without waiting before it carries a request, so one that the server closed,
 * half-closed or wrote to while it was idle is dropped and the request goes out on another pooled
 * or a fresh connection, which is the one retry that is always safe (nothing was sent). The look
 * costs one non-blocking read. Only a close that crosses the request on the wire remains: the
 * request then fails as {@link ErrorClass#CONNECTION_RESET}. Idle connections are also retired
 * after 4 s, before servers commonly close them. A connection goes back to the pool only when its
 * response was read to the end, the server did not ask to close it and it holds no bytes beyond
 * that response.
 *
 * <p>Thread-safe; each exchange is read and written by the thread that called {@link #post}.
 */
final class Http1Transport implements Transport {
  // uvicorn, Node and Apache close idle keep-alive connections after 5 s; retire ours first.
  private static final Duration MAX_IDLE = Duration.ofSeconds(4);
  // A connection idle this long gets a look for a close by the server before it is reused: always.
  // Bytes can arrive at any time after a response (a late close, a body longer than its
  // Content-Length), and the look is one non-blocking read.
  private static final Duration CHECK_AFTER_IDLE = Duration.ZERO;
  private static final int MAX_IDLE_CONNECTIONS = 256;

  private final String host;
  private final int port;
  private final String hostHeader;
  private final long maxIdleNanos;
  private final long checkAfterIdleNanos;
  private final ConcurrentLinkedDeque<Http1Connection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private volatile boolean closed;

  Http1Transport(URI baseUrl) {
    this(baseUrl, MAX_IDLE, CHECK_AFTER_IDLE);
  }

  /** With other pool limits, so that tests can make the look before reuse always or never run. */
  Http1Transport(URI baseUrl, Duration maxIdle, Duration checkAfterIdle) {
    String rawHost = baseUrl.getHost();
    this.host = rawHost.startsWith("[") ? rawHost.substring(1, rawHost.length() - 1) : rawHost;
    this.port = baseUrl.getPort() == -1 ? 80 : baseUrl.getPort();
    this.hostHeader = baseUrl.getPort() == -1 ? rawHost : rawHost + ":" + baseUrl.getPort();
    this.maxIdleNanos = maxIdle.toNanos();
    this.checkAfterIdleNanos = checkAfterIdle.toNanos();
  }

  @Override
  public Exchange post(
      URI uri, Map<String, String> headers, byte[] body, Timeouts timeouts, boolean stream) {
    byte[] request = encode(uri, headers, body);
    AttemptGuard guard = AttemptGuard.start(timeouts, stream);
    Http1Response response = send(request, timeouts, guard);
    guard.headersReceived();
    return new Exchange(response.status(), response.headers(), response, guard);
  }

  private Http1Response send(byte[] request, Timeouts timeouts, AttemptGuard guard) {
    Http1Connection connection = pooled();
    boolean connecting = connection == null;
    Http1Response response = null;
    try {
      if (connecting) {
        connection = Http1Connection.open();
      }
      response = new Http1Response(connection, this::release);
      // Closing the response closes its connection until it was read to the end; a deadline
      // therefore aborts the connect, the request or the wait for the headers alike.
      guard.onExpiry(response::abort);
      if (connecting) {
        connection.connect(new InetSocketAddress(host, port), timeouts.connect());
        connecting = false;
      }
      connection.write(request);
      response.readHead();
      return response;
    } catch (IOException | UnresolvedAddressException e) {
      if (response != null) {
        response.abort();
      } else if (connection != null) {
        connection.close();
      }
      guard.close();
      throw guard.isExpired() ? guard.failure() : sendFailure(e, connecting);
    }
  }

  /** Classifies a failure before the response headers arrived. */
  private static ProviderException sendFailure(Exception failure, boolean connecting) {
    if (failure instanceof ClosedByInterruptException) {
      return new ProviderException(
          ErrorClass.DEADLINE_EXCEEDED, "interrupted while waiting", failure);
    }
    if (failure instanceof ProtocolException) {
      // Classified like the JDK client's "invalid status line": the connection is unusable.
      return new ProviderException(
          ErrorClass.CONNECTION_RESET,
          "the upstream's response is not valid HTTP/1.1: " + failure.getMessage(),
          failure);
    }
    if (connecting) {
      return failure instanceof SocketTimeoutException
          ? new ProviderException(ErrorClass.TIMEOUT, "connect timed out", failure)
          : new ProviderException(
              ErrorClass.CONNECTION_REFUSED, "connection refused: " + failure, failure);
    }
    return new ProviderException(
        ErrorClass.CONNECTION_RESET,
        "connection closed before the response headers: " + failure,
        failure);
  }

  private byte[] encode(URI uri, Map<String, String> headers, byte[] body) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    StringBuilder head = new StringBuilder(256).append("POST ").append(path);
    if (uri.getRawQuery() != null) {
      head.append('?').append(uri.getRawQuery());
    }
    head.append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
    headers.forEach(
        (name, value) ->
            head.append(checked(name)).append(": ").append(checked(value)).append("\r\n"));
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    byte[] headBytes = Http1Connection.ascii(head.toString());
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    return request;
  }

  /** Refuses what would break the request's framing, as the JDK client does. */
  private static String checked(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n' || c > 0xff) {
        throw new IllegalArgumentException("invalid character in a request header: " + text);
      }
    }
    return text;
  }

  /** The most recently used idle connection that is still fit for a request, or null. */
  private Http1Connection pooled() {
    for (Http1Connection c; (c = idle.pollFirst()) != null; ) {
      idleCount.decrementAndGet();
      long idleNanos = c.idleNanos();
      if (idleNanos < maxIdleNanos && (idleNanos < checkAfterIdleNanos || c.stillOpen())) {
        return c;
      }
      c.close();
    }
    return null;
  }

  private void release(Http1Connection connection) {
    if (closed || idleCount.incrementAndGet() > MAX_IDLE_CONNECTIONS) {
      idleCount.decrementAndGet();
      connection.close();
      return;
    }
    connection.markIdle();
    idle.offerFirst(connection);
    if (closed && idle.remove(connection)) {
      connection.close();
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Http1Connection c; (c = idle.pollFirst()) != null; ) {
      idleCount.decrementAndGet();
      c.close();
    }
  }
}
