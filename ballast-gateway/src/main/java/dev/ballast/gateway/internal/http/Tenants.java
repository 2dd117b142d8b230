package dev.ballast.gateway.internal.http;

import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.config.TenantConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves virtual keys to tenants. Only key hashes are held; a presented key is hashed and looked
 * up, so no plain key is ever stored or logged.
 */
public final class Tenants {
  private final Map<String, TenantConfig> byHash = new HashMap<>();

  public Tenants(Map<String, TenantConfig> tenants) {
    tenants.values().forEach(t -> t.keyHashes().forEach(h -> byHash.put(h, t)));
  }

  Optional<TenantConfig> authenticate(String key) {
    if (key == null || key.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(byHash.get(ConfigLoader.hashKey(key.trim())));
  }
}
