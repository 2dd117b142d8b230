package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.gateway.internal.wire.ApiError;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * Authentication, the first step of every API route: the caller's virtual key names its tenant
 * before the route's handler runs, so no handler looks for a key itself. {@link HttpApi} applies it
 * to each route it registers as authenticated; {@code /healthz}, {@code /metrics} and the answer to
 * an unknown URL are not.
 */
public final class Authentication {
  private final Tenants tenants;

  public Authentication(Tenants tenants) {
    this.tenants = tenants;
  }

  /** A route's handler, given the caller's tenant; null when it has sent the response itself. */
  interface Handler {
    JsonNode handle(TenantConfig tenant, ServerRequest req, ServerResponse res);
  }

  /**
   * The caller's tenant from {@code Authorization: Bearer} or, for Anthropic clients, {@code
   * x-api-key}.
   */
  TenantConfig authenticate(ServerRequest req) {
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
}
