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
  private final long maxBodyBytes;

  public Requests(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  JsonNode json(ServerRequest req) {
    Optional<Long> declared = req.headers().contentLength().stream().boxed().findFirst();
    if (declared.isPresent() && declared.get() > maxBodyBytes) {
      throw tooLarge();
    }
    byte[] body = read(req.content().inputStream(), declared.orElse(-1L));
    if (body.length == 0) {
      throw new ApiError(
          400,
          "invalid_request_error",
          "invalid_json",
          null,
          "The request body is empty; expected a JSON object.");
    }
    try {
      return Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiError(
          400,
          "invalid_request_error",
          "invalid_json",
          null,
          "We could not parse the JSON body of your request: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] read(InputStream in, long declaredLength) {
    try (in) {
      // With a declared length, read exactly that (plus one byte to notice a lying client);
      // readNBytes with the maximum would allocate for the limit, not for the body.
      long limit =
          declaredLength >= 0 ? Math.min(declaredLength + 1, maxBodyBytes + 1) : maxBodyBytes + 1;
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit));
      if (body.length > maxBodyBytes) {
        throw tooLarge();
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
