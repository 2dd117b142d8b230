package dev.ballast.providers.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.spi.Timeouts;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Sends JSON POSTs with the JDK HTTP client under one attempt's deadlines; used for https, where
 * the JDK client negotiates HTTP/2. The JDK client fixes the connect timeout per client, so there
 * is one client per distinct connect timeout; timeouts come from deployment configuration, which in
 * practice means one client per provider.
 */
final class HttpTransport implements Transport {
  private final HttpClient.Version version;
  private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

  HttpTransport(URI baseUrl) {
    // Plain http would otherwise try an h2c upgrade, which some local servers mishandle; https
    // negotiates HTTP/2 through ALPN and falls back to HTTP/1.1 on its own.
    this.version =
        "https".equals(baseUrl.getScheme())
            ? HttpClient.Version.HTTP_2
            : HttpClient.Version.HTTP_1_1;
  }

  @Override
  public Exchange post(
      URI uri, Map<String, String> headers, byte[] body, Timeouts timeouts, boolean stream) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::setHeader);
    AttemptGuard guard = AttemptGuard.start(timeouts, stream);
    CompletableFuture<HttpResponse<InputStream>> future =
        client(timeouts.connect()).sendAsync(request.build(), InOrderBodyStream.handler());
    // Cancelling the future aborts the exchange and closes its connection.
    guard.onExpiry(() -> future.cancel(true));
    HttpResponse<InputStream> response = await(future, guard);
    guard.headersReceived();
    InputStream responseBody = response.body();
    guard.onExpiry(() -> closeQuietly(responseBody));
    return new Exchange(response.statusCode(), response.headers(), responseBody, guard);
  }

  private static HttpResponse<InputStream> await(
      CompletableFuture<HttpResponse<InputStream>> future, AttemptGuard guard) {
    try {
      return future.get();
    } catch (CancellationException e) {
      guard.close();
      throw guard.failure();
    } catch (ExecutionException e) {
      guard.close();
      throw guard.isExpired() ? guard.failure() : sendFailure(e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      guard.close();
      Thread.currentThread().interrupt();
      throw new ProviderException(ErrorClass.DEADLINE_EXCEEDED, "interrupted while waiting", e);
    }
  }

  /** Classifies a failure before the response headers arrived. */
  static ProviderException sendFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) {
        return new ProviderException(ErrorClass.TIMEOUT, "connect timed out", failure);
      }
      if (t instanceof ConnectException || t instanceof UnresolvedAddressException) {
        return new ProviderException(
            ErrorClass.CONNECTION_REFUSED, "connection refused: " + failure, failure);
      }
      if (t instanceof HttpTimeoutException) {
        return new ProviderException(ErrorClass.SILENCE, "no response headers in time", failure);
      }
    }
    return new ProviderException(
        ErrorClass.CONNECTION_RESET,
        "connection closed before the response headers: " + failure,
        failure);
  }

  private final java.util.concurrent.ExecutorService executor =
      java.util.concurrent.Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("ballast-http-", 0).factory());

  private HttpClient client(Duration connectTimeout) {
    return clients.computeIfAbsent(
        connectTimeout,
        timeout ->
            HttpClient.newBuilder()
                .version(version)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                // The default executor is a cached pool of platform threads; every response
                // hops through it. Virtual threads make those hand-offs cheap.
                .executor(executor)
                .build());
  }

  private static void closeQuietly(InputStream stream) {
    try {
      stream.close();
    } catch (java.io.IOException ignored) {
      // The deadline already decided the outcome; a failing close changes nothing.
    }
  }

  @Override
  public void close() {
    clients.values().forEach(HttpClient::shutdownNow);
    clients.clear();
    executor.shutdownNow();
  }
}
