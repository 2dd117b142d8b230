package dev.ballast.providers.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.spi.Timeouts;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpHeaders;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plain-http POSTs on Helidon's WebClient (HTTP/1.1, blocking, on the calling thread), the library
 * alternative to {@link Http1Transport} measured in {@code docs/http-client.md}; selected with
 * {@code -Dballast.plain-http-client=webclient}. The WebClient fixes the connect timeout per
 * client, so there is one client, with its own connection pool, per distinct connect timeout.
 *
 * <p>Deadlines: the WebClient has no way to abort an exchange from outside before its response
 * exists, so until the headers arrive the deadline interrupts the thread blocked in the exchange,
 * which on a virtual thread closes the socket and wakes it ({@link HeadPhase}). A caller on a
 * platform thread, whose socket reads ignore interrupts, hands the exchange to a virtual thread for
 * that phase. Once the response exists, closing it closes its connection and wakes a blocked body
 * read, as with the other transports.
 *
 * <p>Thread-safe.
 */
final class WebClientTransport implements Transport {
  // As large as Http1Transport's limits, so that both transports refuse the same heads.
  private static final int MAX_HEAD_BYTES = Http1Response.MAX_HEAD_BYTES;
  private static final int MAX_IDLE_CONNECTIONS = 256;

  private final Map<Duration, Http1Client> clients = new ConcurrentHashMap<>();

  @Override
  public Exchange post(
      URI uri, Map<String, String> headers, byte[] body, Timeouts timeouts, boolean stream) {
    Http1ClientRequest request =
        client(timeouts.connect())
            .post()
            .uri(uri)
            // A backstop only: the attempt's guard ends the exchange at its deadlines.
            .readTimeout(timeouts.total().plusSeconds(1));
    headers.forEach((name, value) -> request.header(HeaderNames.create(name), value));
    AttemptGuard guard = AttemptGuard.start(timeouts, stream);
    Http1ClientResponse response = HeadPhase.submit(request, body, guard);
    guard.headersReceived();
    // Closing a response that was not read to its end closes its connection.
    guard.onExpiry(response::close);
    return new Exchange(
        response.status().code(),
        headersOf(response),
        new WebClientBody(response, response.inputStream()),
        guard);
  }

  private static HttpHeaders headersOf(Http1ClientResponse response) {
    Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Header header : response.headers()) {
      fields.computeIfAbsent(header.name(), k -> new ArrayList<>(1)).addAll(header.allValues());
    }
    return HttpHeaders.of(fields, (name, value) -> true);
  }

  /** Classifies a failure before the response headers arrived. */
  static ProviderException sendFailure(RuntimeException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof UnresolvedAddressException) {
        return new ProviderException(
            ErrorClass.CONNECTION_REFUSED, "connection refused: " + failure, failure);
      }
      // The read timeout is a backstop beyond the total deadline; a socket timeout before the
      // headers is therefore the connect timeout.
      if (t instanceof SocketTimeoutException) {
        return new ProviderException(ErrorClass.TIMEOUT, "connect timed out", failure);
      }
    }
    return new ProviderException(
        ErrorClass.CONNECTION_RESET,
        "connection closed or invalid response before the headers: " + failure,
        failure);
  }

  private Http1Client client(Duration connectTimeout) {
    return clients.computeIfAbsent(
        connectTimeout,
        timeout ->
            Http1Client.builder()
                .connectTimeout(timeout)
                .followRedirects(false)
                .sendExpectContinue(false)
                // Its own pool, closed with this transport, as large as Http1Transport's.
                .shareConnectionCache(false)
                .connectionCacheSize(MAX_IDLE_CONNECTIONS)
                .servicesDiscoverServices(false)
                .protocolConfig(
                    protocol ->
                        protocol.maxHeaderSize(MAX_HEAD_BYTES).maxStatusLineLength(16 * 1024))
                .build());
  }

  @Override
  public void close() {
    clients.values().forEach(Http1Client::closeResource);
    clients.clear();
  }
}
