package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.access.ManagedKey;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.gateway.internal.wire.ApiError;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Set;

/**
 * {@code /v1/ballast/keys}, for administrators only: managed keys made, listed and revoked at run
 * time, next to the configuration's keys (which this API neither lists nor revokes). A new key is
 * answered once, in the response that creates it; the store keeps only its hash, made as for a
 * configuration key. A revocation is refused by this node at once and by every other node within
 * {@code managed_keys.cache_ttl} ({@link ManagedKeys}).
 */
public final class KeysApi {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Requests requests;
  private final Authentication authentication;
  private final ManagedKeys keys;
  private final Set<String> pipelines;
  // Replaced on a reload: a key may name the groups of the configuration running now.
  private volatile KeyRequests bodies;

  public KeysApi(
      Requests requests, Authentication authentication, Set<String> groups, Set<String> pipelines) {
    this.requests = requests;
    this.authentication = authentication;
    this.keys = authentication.managedKeys();
    this.pipelines = Set.copyOf(pipelines);
    this.bodies = new KeyRequests(groups, pipelines);
  }

  /** Checks new keys against a reloaded configuration's model groups from now on. */
  public void reconfigure(Set<String> groups) {
    this.bodies = new KeyRequests(groups, pipelines);
  }

  /** {@code POST /v1/ballast/keys}: 201 with the key, shown this once. */
  JsonNode create(Caller caller, ServerRequest req, ServerResponse res) {
    Roles.requireAdmin(caller, "Creating keys");
    Instant now = keys.clock().instant();
    KeyRequests.NewKey asked =
        bodies.read(
            requests.json(req), authentication.tenants(), authentication.access().admins(), now);
    String secret = random("bk-", 40);
    ManagedKey key =
        new ManagedKey(
            random("key_", 20),
            ConfigLoader.hashKey(secret),
            secret.substring(0, 7),
            asked.tenant(),
            asked.name(),
            asked.admin(),
            asked.models(),
            asked.pipelines(),
            asked.limits(),
            caller.name(),
            now,
            asked.expiresAt(),
            null);
    keys.store().create(key);
    keys.forget(key.keyHash());
    ObjectNode body = view(key, now);
    body.put("key", secret);
    HttpApi.sendJson(res, 201, body);
    return null;
  }

  /** {@code GET /v1/ballast/keys?tenant=&include_revoked=true}: newest first, never a secret. */
  JsonNode list(Caller caller, ServerRequest req) {
    Roles.requireAdmin(caller, "Listing keys");
    String tenant = req.query().contains("tenant") ? req.query().get("tenant") : null;
    boolean revoked =
        req.query().contains("include_revoked")
            && Boolean.parseBoolean(req.query().get("include_revoked"));
    Instant now = keys.clock().instant();
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    keys.store()
        .list(tenant == null || tenant.isBlank() ? null : tenant, revoked)
        .forEach(k -> data.add(view(k, now)));
    return root;
  }

  /** {@code DELETE /v1/ballast/keys/{id}}: the key, revoked. */
  JsonNode revoke(Caller caller, ServerRequest req) {
    Roles.requireAdmin(caller, "Revoking keys");
    String id = req.path().pathParameters().get("id");
    Instant now = keys.clock().instant();
    ManagedKey revoked =
        keys.store()
            .revoke(id, now)
            .orElseThrow(
                () ->
                    new ApiError(
                        404,
                        "not_found_error",
                        "key_not_found",
                        "id",
                        "No managed key '"
                            + id
                            + "' (configuration keys are revoked in the"
                            + " configuration)."));
    keys.forget(revoked.keyHash());
    return view(revoked, now);
  }

  static ObjectNode view(ManagedKey key, Instant now) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("object", "key");
    o.put("id", key.id());
    o.put("hint", key.hint() + "…");
    o.put("tenant", key.tenant());
    o.put("name", key.name());
    o.put("role", key.admin() ? "admin" : "tenant");
    o.set("models", key.models() == null ? null : Json.mapper().valueToTree(key.models()));
    o.set("pipelines", key.pipelines() == null ? null : Json.mapper().valueToTree(key.pipelines()));
    ObjectNode limits = o.putObject("limits");
    limits.put("requests_per_minute", key.limits().requestsPerMinute());
    limits.put("tokens_per_minute", key.limits().tokensPerMinute());
    limits.put("budget_usd", key.limits().budgetUsd());
    o.put("created_by", key.createdBy());
    o.put("created_at", key.createdAt().toString());
    o.put("expires_at", key.expiresAt() == null ? null : key.expiresAt().toString());
    o.put("revoked_at", key.revokedAt() == null ? null : key.revokedAt().toString());
    o.put("state", key.revokedAt() != null ? "revoked" : key.expiredAt(now) ? "expired" : "active");
    return o;
  }

  private static String random(String prefix, int length) {
    StringBuilder s = new StringBuilder(prefix);
    for (int i = 0; i < length; i++) {
      s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }
}
