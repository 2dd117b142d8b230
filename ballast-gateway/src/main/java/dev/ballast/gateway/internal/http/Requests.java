package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.gateway.internal.wire.ApiError;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Reading a request's body: bounded, and JSON, or the client is told what is wrong with it. */
public final class Requests {
  private static final int READ_CHUNK = 64 * 1024;
  private final long maxBodyBytes;
  private final ConnectionGuard guard;

  public Requests(long maxBodyBytes, ConnectionGuard guard) {
    this.maxBodyBytes = maxBodyBytes;
    this.guard = guard;
  }

  JsonNode json(ServerRequest req) {
    Optional<Long> declared = req.headers().contentLength().stream().boxed().findFirst();
    if (declared.isPresent() && declared.get() > maxBodyBytes) {
      throw tooLarge();
    }
    byte[] body = read(req, declared.orElse(-1L));
    if (body.length == 0) {
      throw new ApiError(
          400,
          "invalid_request_error",
          "invalid_json",
          null,
          "The request body is empty; expected a JSON object.");
    }
    JsonNode json;
    try {
      json = Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiError(
          400,
          "invalid_request_error",
          "invalid_json",
          null,
          "We could not parse the JSON body of your request: " + describe(e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TextChecks.requireStorableStrings(json);
    return json;
  }

  /**
   * The parser's complaint in words a client can act on: what is wrong and where (line, column),
   * without the parser's own description of its input source and settings.
   */
  static String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    int source = message.indexOf(" (StreamReadFeature");
    if (source < 0) {
      source = message.indexOf(" [Source:");
    }
    if (source >= 0) {
      message = message.substring(0, source);
    }
    message = message.replace("\n", " ").trim();
    var at = e.getLocation();
    return at == null || at.getLineNr() < 0
        ? message
        : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  /**
   * Reads a body of at most {@code server.max_body_bytes}. The stream is closed only after a body
   * was read whole: closing drains what is left, which for a body the server cannot decode (or one
   * that is too large) would wait for bytes that may never come. Those answers close the connection
   * instead (see {@link ApiError#closesConnection()}).
   */
  private byte[] read(ServerRequest req, long declaredLength) {
    InputStream in = req.content().inputStream();
    byte[] body;
    try {
      // With a declared length, read exactly that (plus one byte to notice a lying client);
      // reading up to the maximum at once would allocate for the limit, not for the body.
      long limit =
          declaredLength >= 0 ? Math.min(declaredLength + 1, maxBodyBytes + 1) : maxBodyBytes + 1;
      body = readReportingProgress(req, in, (int) Math.min(Integer.MAX_VALUE - 8, limit));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (UncheckedIOException e) {
      throw e;
    } catch (RuntimeException e) {
      // The server reports a body it cannot decode (a chunk size that is not hex, a chunk cut
      // short) with its own runtime exceptions: the client's mistake, answered, not logged.
      throw ApiError.malformedBody(
          e instanceof NumberFormatException
              ? "a chunk size is not a hexadecimal number"
              : "its framing is invalid (" + e.getClass().getSimpleName() + ")");
    }
    if (body.length > maxBodyBytes) {
      throw tooLarge();
    }
    guard.bodyComplete(req);
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      // Everything was read; a failure to close concerns the connection, not this request.
    }
    return body;
  }

  /** Reads up to {@code limit} bytes, telling the guard after each read that the body moves. */
  private byte[] readReportingProgress(ServerRequest req, InputStream in, int limit)
      throws IOException {
    java.io.ByteArrayOutputStream body =
        new java.io.ByteArrayOutputStream(Math.min(limit, READ_CHUNK));
    byte[] chunk = new byte[Math.min(limit, READ_CHUNK)];
    while (body.size() < limit) {
      int n = in.read(chunk, 0, Math.min(chunk.length, limit - body.size()));
      if (n < 0) {
        break;
      }
      body.write(chunk, 0, n);
      guard.bodyProgress(req);
    }
    return body.toByteArray();
  }

  private ApiError tooLarge() {
    return new ApiError(
        413,
        "invalid_request_error",
        "request_too_large",
        null,
        "The request body exceeds the limit of "
            + maxBodyBytes
            + " bytes (server.max_body_bytes).");
  }
}
