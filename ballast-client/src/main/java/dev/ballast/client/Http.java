package dev.ballast.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * One HTTP exchange with the gateway: builds the request, maps transport failures to {@link
 * BallastTransportException} and error statuses to {@link BallastApiException}. Thread-safe: it
 * holds only immutable values and the JDK client, which is thread-safe.
 */
final class Http implements AutoCloseable {
  static final String USER_AGENT = "ballast-java-client/0.1.0";

  private final HttpClient client;
  private final URI base;
  private final String authorization;
  private final Duration timeout;

  Http(URI base, String apiKey, Duration timeout) {
    // HTTP/1.1 explicitly: the JDK would otherwise try an h2c upgrade on every plain-http request.
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    this.base = base;
    this.authorization = apiKey == null ? null : "Bearer " + apiKey;
    this.timeout = timeout;
  }

  /** A successful answer; error statuses never get here, they are thrown. */
  record Response(String method, URI uri, int status, HttpHeaders headers, JsonNode json) {}

  /**
   * Sends a request and returns the successful response's JSON body.
   *
   * @param path relative to the base URL, with its query, already encoded
   * @param body null for a request without body
   * @param idempotencyKey sent as {@code Idempotency-Key} when not null
   */
  Response send(String method, String path, JsonNode body, String idempotencyKey) {
    URI uri = URI.create(base + path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("User-Agent", USER_AGENT);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
    }
    HttpResponse<byte[]> response = exchange(method, uri, request.build());
    if (response.statusCode() >= 400) {
      throw ErrorBodies.toException(method, uri, response);
    }
    return new Response(
        method, uri, response.statusCode(), response.headers(), json(method, uri, response));
  }

  private HttpResponse<byte[]> exchange(String method, URI uri, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException e) {
      throw new BallastTransportException(method, uri, "could not connect within " + timeout, e);
    } catch (HttpTimeoutException e) {
      throw new BallastTransportException(method, uri, "no answer within " + timeout, e);
    } catch (ConnectException e) {
      throw new BallastTransportException(method, uri, describe(e, "connection refused"), e);
    } catch (IOException e) {
      throw new BallastTransportException(method, uri, describe(e, e.getClass().getName()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BallastClientException(method + " " + uri + ": interrupted", e);
    }
  }

  private static JsonNode json(String method, URI uri, HttpResponse<byte[]> response) {
    try {
      return Wire.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new BallastClientException(
          method
              + " "
              + uri
              + ": the gateway's answer (HTTP "
              + response.statusCode()
              + ", "
              + response.body().length
              + " bytes) is not JSON",
          e);
    }
  }

  private static byte[] bytes(JsonNode body) {
    try {
      return Wire.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      // A JsonNode tree always serializes; this would be a Jackson bug.
      throw new IllegalStateException(e);
    }
  }

  private static String describe(IOException e, String fallback) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? fallback : message;
  }

  @Override
  public void close() {
    client.close();
  }
}
