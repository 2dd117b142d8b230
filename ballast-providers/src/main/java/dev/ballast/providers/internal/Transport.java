package dev.ballast.providers.internal;

import dev.ballast.core.spi.Timeouts;
import java.net.URI;
import java.util.Map;

/** Sends one provider's JSON POSTs under an attempt's deadlines. Thread-safe. */
interface Transport extends AutoCloseable {
  /**
   * Sends the request and waits for the response headers within the first-token and total
   * deadlines. The caller must close the returned exchange.
   *
   * @throws dev.ballast.core.ProviderException when no response headers arrived, classified
   */
  Exchange post(
      URI uri, Map<String, String> headers, byte[] body, Timeouts timeouts, boolean stream);

  /** The transport for {@code baseUrl}: HTTP/1.1 on the caller's thread for http, else HTTP/2. */
  static Transport forBaseUrl(URI baseUrl) {
    return "http".equals(baseUrl.getScheme())
        ? new Http1Transport(baseUrl)
        : new HttpTransport(baseUrl);
  }

  @Override
  void close();
}
