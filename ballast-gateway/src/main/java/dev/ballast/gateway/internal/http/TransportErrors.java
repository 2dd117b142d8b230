package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import java.nio.charset.StandardCharsets;

/**
 * Answers for requests the server refuses before any route sees them (a malformed head, an
 * unsupported HTTP version, too many connections): the same JSON error shape as every other answer,
 * with a message that says what to change, instead of an empty body.
 */
final class TransportErrors implements DirectHandler {
  @Override
  public TransportResponse handle(
      TransportRequest request,
      EventType event,
      Status status,
      ServerResponseHeaders headers,
      String message) {
    String code;
    String text;
    switch (event) {
      case HTTP_VERSION_NOT_SUPPORTED -> {
        code = "http_version_not_supported";
        text =
            "HTTP/"
                + request.protocolVersion()
                + " is not supported; send HTTP/1.1 requests (every HTTP client and SDK can).";
      }
      case PAYLOAD_TOO_LARGE -> {
        code = "request_too_large";
        text = "The request is too large: " + message;
      }
      case BAD_REQUEST -> {
        code = "malformed_request";
        text = "The request could not be read: " + message;
      }
      case INTERNAL_ERROR -> {
        code = "internal_error";
        text = "The gateway failed unexpectedly; the failure is logged. Please retry.";
      }
      default -> {
        boolean tooMany = status.code() == 429;
        code = tooMany ? "too_many_connections" : "request_refused";
        text =
            tooMany
                ? "Too many connections from this address (server.limits.connections_per_client);"
                    + " reuse connections or retry later."
                : "The request was refused: " + message;
      }
    }
    ObjectNode body = Json.mapper().createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", text);
    error.put("type", status.code() >= 500 ? "server_error" : "invalid_request_error");
    error.putNull("param");
    error.put("code", code);
    return TransportResponse.builder()
        .status(status)
        .headers(headers)
        .header(HeaderNames.CONTENT_TYPE, "application/json")
        .keepAlive(false)
        .entity(body.toString().getBytes(StandardCharsets.UTF_8))
        .build();
  }
}
