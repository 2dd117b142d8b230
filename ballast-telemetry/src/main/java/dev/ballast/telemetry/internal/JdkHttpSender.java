package dev.ballast.telemetry.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Sends OTLP/HTTP requests with the JDK's {@link HttpClient}. The exporter's own JDK sender ({@code
 * opentelemetry-exporter-sender-jdk}) is not in the Maven mirror for 1.67.0, and OkHttp would bring
 * the Kotlin runtime, so this implements the public sender SPI of {@code opentelemetry-sdk-common}.
 *
 * <p>One request at a time per sender, on a daemon thread of its own unless the exporter supplies
 * an executor. Retries follow the exporter's {@link RetryPolicy}: statuses 429, 502, 503 and 504
 * and I/O errors the policy accepts, with jittered exponential backoff.
 */
final class JdkHttpSender implements HttpSender {
  private static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);

  private final HttpSenderConfig config;
  private final HttpClient client;
  private final ExecutorService executor;
  private final boolean ownsExecutor;

  JdkHttpSender(HttpSenderConfig config) {
    this.config = config;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(config.getConnectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL);
    if (config.getSslContext() != null) {
      builder.sslContext(config.getSslContext());
    }
    if (config.getProxyOptions() != null) {
      builder.proxy(config.getProxyOptions().getProxySelector());
    }
    this.client = builder.build();
    this.ownsExecutor = config.getExecutorService() == null;
    this.executor =
        ownsExecutor
            ? Executors.newSingleThreadExecutor(
                r -> {
                  Thread thread = new Thread(r, "ballast-otlp-sender");
                  thread.setDaemon(true);
                  return thread;
                })
            : config.getExecutorService();
  }

  @Override
  public void send(
      MessageWriter messageWriter, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    byte[] body;
    try {
      body = body(messageWriter);
    } catch (IOException | RuntimeException e) {
      onError.accept(e);
      return;
    }
    executor.execute(
        () -> {
          try {
            onResponse.accept(sendWithRetries(body));
          } catch (IOException | RuntimeException e) {
            onError.accept(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            onError.accept(e);
          }
        });
  }

  // Serialized on the caller's thread: the message writer may reuse its buffers after send returns.
  private byte[] body(MessageWriter writer) throws IOException {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(Math.max(writer.getContentLength(), 64));
    Compressor compressor = config.getCompressor();
    try (OutputStream out = compressor == null ? bytes : compressor.compress(bytes)) {
      writer.writeMessage(out);
    }
    return bytes.toByteArray();
  }

  private HttpResponse sendWithRetries(byte[] body) throws IOException, InterruptedException {
    RetryPolicy policy = config.getRetryPolicy();
    int attempts = policy == null ? 1 : Math.max(1, policy.getMaxAttempts());
    Duration backoff = policy == null ? Duration.ZERO : policy.getInitialBackoff();
    for (int attempt = 1; ; attempt++) {
      boolean last = attempt >= attempts;
      try {
        java.net.http.HttpResponse<byte[]> response =
            client.send(request(body), BodyHandlers.ofByteArray());
        if (last || !RETRYABLE.contains(response.statusCode())) {
          return new Response(response.statusCode(), response.body());
        }
      } catch (IOException e) {
        if (last || !retryable(policy, e)) {
          throw e;
        }
      }
      Thread.sleep(ThreadLocalRandom.current().nextLong(backoff.toMillis() + 1));
      backoff = next(policy, backoff);
    }
  }

  private static boolean retryable(RetryPolicy policy, IOException e) {
    Predicate<IOException> predicate = policy.getRetryExceptionPredicate();
    if (predicate != null) {
      return predicate.test(e);
    }
    // The exporter's default: the collector could not be reached or did not answer in time.
    return e instanceof ConnectException || e instanceof HttpTimeoutException;
  }

  private static Duration next(RetryPolicy policy, Duration backoff) {
    long millis = (long) (backoff.toMillis() * policy.getBackoffMultiplier());
    return Duration.ofMillis(Math.min(millis, policy.getMaxBackoff().toMillis()));
  }

  private HttpRequest request(byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(config.getEndpoint())
            .timeout(config.getTimeout())
            .header("Content-Type", config.getContentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (config.getCompressor() != null) {
      request.header("Content-Encoding", config.getCompressor().getEncoding());
    }
    Map<String, List<String>> headers =
        config.getHeadersSupplier() == null ? null : config.getHeadersSupplier().get();
    if (headers != null) {
      headers.forEach((name, values) -> values.forEach(value -> request.header(name, value)));
    }
    return request.build();
  }

  @Override
  public CompletableResultCode shutdown() {
    if (ownsExecutor) {
      executor.shutdown();
    }
    client.close();
    return CompletableResultCode.ofSuccess();
  }

  private record Response(int status, byte[] body) implements HttpResponse {
    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    public String getStatusMessage() {
      return Integer.toString(status);
    }

    @Override
    public byte[] getResponseBody() {
      return body;
    }
  }
}
