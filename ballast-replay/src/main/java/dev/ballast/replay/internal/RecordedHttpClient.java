package dev.ballast.replay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEvent.StageCompleted;
import dev.ballast.core.journal.JournalEvent.StageFailed;
import dev.ballast.core.pipeline.WebhookUrls;
import dev.ballast.pipeline.NetworkForbiddenException;
import java.io.IOException;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * The egress guard of a replay's {@code http_action} stages: an {@link HttpClient} that opens no
 * socket. A request carrying the effect key of a recorded webhook gets the recorded answer (status
 * and body from the stage's journaled output, or the recorded failure); any other request throws
 * {@link NetworkForbiddenException}, so a replay can never reach a receiver.
 */
final class RecordedHttpClient extends HttpClient {
  private final Recording recording;

  RecordedHttpClient(Recording recording) {
    this.recording = recording;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    String key = request.headers().firstValue("Idempotency-Key").orElse(null);
    String stage = stageOf(key);
    StageCompleted done = stage == null ? null : recording.completed(stage);
    if (done != null) {
      JsonNode out = recording.json(done.output());
      if (out == null) {
        throw new NetworkForbiddenException(
            WebhookUrls.redacted(request.uri().toString()),
            "the answer to webhook "
                + WebhookUrls.redacted(request.uri().toString())
                + " (stage "
                + stage
                + ") was not captured, and a replay does not send it again");
      }
      byte[] body =
          out.path("body").isNull()
              ? new byte[0]
              : Json.mapper().writeValueAsBytes(out.path("body"));
      return (HttpResponse<T>) new Recorded(request, out.path("status").asInt(200), body);
    }
    StageFailed failure = stage == null ? null : recording.failed(stage);
    if (failure != null) {
      return (HttpResponse<T>) failed(request, failure);
    }
    throw new NetworkForbiddenException(
        WebhookUrls.redacted(request.uri().toString()),
        "a replay may not send "
            + request.method()
            + " "
            + WebhookUrls.redacted(request.uri().toString())
            + ": no webhook with effect key "
            + key
            + " is in the recording");
  }

  /** The recorded failure again: the same status, or the same kind of network error. */
  private static HttpResponse<byte[]> failed(HttpRequest request, StageFailed failure)
      throws IOException {
    String ec = failure.errorClass();
    if (ec.startsWith("http_")) {
      return new Recorded(request, Integer.parseInt(ec.substring(5)), new byte[0]);
    }
    if ("timeout".equals(ec)) {
      throw new HttpTimeoutException("recorded: " + failure.message());
    }
    throw new ConnectException("recorded: " + failure.message());
  }

  /** The stage of an effect key {@code RUN/STAGE/NAME}, or null. */
  private static String stageOf(String key) {
    if (key == null) {
      return null;
    }
    String[] parts = key.split("/");
    return parts.length == 3 ? parts[1] : null;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return CompletableFuture.completedFuture(send(request, handler));
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> push) {
    return sendAsync(request, handler);
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return Optional.empty();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return Optional.empty();
  }

  @Override
  public Redirect followRedirects() {
    return Redirect.NEVER;
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return Optional.empty();
  }

  @Override
  public SSLContext sslContext() {
    throw new NetworkForbiddenException("tls", "a replay opens no TLS connection");
  }

  @Override
  public SSLParameters sslParameters() {
    return new SSLParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return Optional.empty();
  }

  @Override
  public Version version() {
    return Version.HTTP_1_1;
  }

  @Override
  public Optional<Executor> executor() {
    return Optional.empty();
  }

  private record Recorded(HttpRequest request, int statusCode, byte[] body)
      implements HttpResponse<byte[]> {
    @Override
    public Optional<HttpResponse<byte[]>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return HttpHeaders.of(Map.of(), (a, b) -> true);
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }
  }
}
