package dev.ballast.gateway.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.TenantConfig;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Reading what every endpoint needs from a request: the tenant and a bounded JSON body. */
final class Requests {
  private final Tenants tenants;
  private final long maxBodyBytes;

  Requests(Tenants tenants, long maxBodyBytes) {
    this.tenants = tenants;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * The caller's tenant from {@code Authorization: Bearer} or, for Anthropic clients, {@code
   * x-api-key}.
   */
  TenantConfig tenant(ServerRequest req) {
    Optional<String> key =
        req.headers()
            .first(HeaderNames.AUTHORIZATION)
            .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
            .map(v -> v.substring(7));
    if (key.isEmpty()) {
      key = req.headers().first(HeaderNames.create("x-api-key"));
    }
    if (key.isEmpty()) {
      throw new ApiError(
          401,
          "authentication_error",
          "missing_api_key",
          null,
          "No API key provided. Send your virtual key as 'Authorization: Bearer <key>' (or 'x-api-key: <key>').");
    }
    return tenants
        .authenticate(key.get())
        .orElseThrow(
            () ->
                new ApiError(
                    401,
                    "authentication_error",
                    "invalid_api_key",
                    null,
                    "Incorrect API key provided. Check the virtual key issued by this gateway."));
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
