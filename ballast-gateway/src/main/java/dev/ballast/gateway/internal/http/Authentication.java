package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.access.ManagedKey;
import dev.ballast.core.config.AccessConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.spi.KeyStore;
import dev.ballast.gateway.internal.wire.ApiError;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication, the first step of every API route: the caller's virtual key names its tenant and
 * role before the route's handler runs, so no handler looks for a key itself. {@link HttpApi}
 * applies it to each route it registers as authenticated; {@code /healthz}, {@code /metrics} and
 * the answer to an unknown URL are not.
 *
 * <p>A key is looked up among the configuration's keys first (in memory), then among the store's
 * managed keys ({@link ManagedKeys}, cached for {@code managed_keys.cache_ttl}). A revoked key is
 * answered like an unknown one; an expired key says so.
 */
public final class Authentication {
  private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);

  // Replaced together on a reload, so a request sees one configuration's tenants and admins.
  private volatile Configured configured;
  private final ManagedKeys managed;

  private record Configured(Tenants tenants, AccessConfig access) {}

  /**
   * @param keys the store's managed keys, trusted for {@code access.keyCacheTtl()} once read
   */
  public Authentication(
      Map<String, TenantConfig> tenants, AccessConfig access, KeyStore keys, Clock clock) {
    this.configured = new Configured(new Tenants(tenants), access);
    this.managed = new ManagedKeys(keys, clock, access.keyCacheTtl());
  }

  /**
   * Takes over a reloaded configuration's tenants (their keys, limits, capture) and administrators;
   * a request already authenticated keeps the tenant it was given. The managed keys' cache TTL is
   * read once at start.
   */
  public void reconfigure(Map<String, TenantConfig> tenants, AccessConfig access) {
    this.configured = new Configured(new Tenants(tenants), access);
  }

  ManagedKeys managedKeys() {
    return managed;
  }

  AccessConfig access() {
    return configured.access();
  }

  Tenants tenants() {
    return configured.tenants();
  }

  /** A route's handler, given the caller; null when it has sent the response itself. */
  interface Handler {
    JsonNode handle(Caller caller, ServerRequest req, ServerResponse res);
  }

  /**
   * The caller from {@code Authorization: Bearer} or, for Anthropic clients, {@code x-api-key}.
   *
   * @throws ApiError 401 for a missing, unknown, revoked or expired key; 503 when the store that
   *     holds managed keys cannot be read
   */
  Caller authenticate(ServerRequest req) {
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
    if (key.get().isBlank()) {
      throw invalidKey();
    }
    String hash = ConfigLoader.hashKey(key.get().trim());
    Configured now = configured;
    Optional<TenantConfig> byKey = now.tenants().byHash(hash);
    if (byKey.isPresent()) {
      TenantConfig tenant = byKey.get();
      return new Caller(tenant, now.access().isAdmin(tenant.name()), null);
    }
    return managed(hash, now);
  }

  private Caller managed(String hash, Configured now) {
    ManagedKey key = find(hash).filter(k -> k.revokedAt() == null).orElseThrow(this::invalidKey);
    Instant at = managed.clock().instant();
    if (key.expiredAt(at)) {
      throw new ApiError(
          401,
          "authentication_error",
          "expired_api_key",
          null,
          "This API key expired at " + key.expiresAt() + "; ask an administrator for a new one.");
    }
    // The configuration decides what a key's tenant is: a key of a tenant since removed from it
    // authenticates as nobody, and a key made as an administrator's is one only while its tenant
    // is listed in admins:.
    TenantConfig tenant = now.tenants().named(key.tenant()).orElseThrow(this::invalidKey);
    return new Caller(tenant, key.admin() && now.access().isAdmin(tenant.name()), key);
  }

  private Optional<ManagedKey> find(String hash) {
    try {
      return managed.find(hash);
    } catch (RuntimeException e) {
      // Fail closed: without the store, a managed key cannot be told apart from a revoked one.
      LOG.warn("managed keys cannot be read from the store: {}", e.getMessage());
      throw new ApiError(
          503,
          "server_error",
          "key_store_unavailable",
          null,
          "The store holding managed keys cannot be read right now; retry shortly.",
          1L);
    }
  }

  private ApiError invalidKey() {
    return new ApiError(
        401,
        "authentication_error",
        "invalid_api_key",
        null,
        "Incorrect API key provided. Check the virtual key issued by this gateway.");
  }
}
