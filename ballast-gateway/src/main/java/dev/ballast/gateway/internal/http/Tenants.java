package dev.ballast.gateway.internal.http;

import dev.ballast.core.config.TenantConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration's tenants, by name and by the hashes of their virtual keys. Only key hashes are
 * held; a presented key is hashed and looked up, so no plain key is ever stored or logged.
 */
final class Tenants {
  private final Map<String, TenantConfig> byHash = new HashMap<>();
  private final Map<String, TenantConfig> byName;

  Tenants(Map<String, TenantConfig> tenants) {
    this.byName = Map.copyOf(tenants);
    tenants.values().forEach(t -> t.keyHashes().forEach(h -> byHash.put(h, t)));
  }

  Optional<TenantConfig> byHash(String keyHash) {
    return Optional.ofNullable(byHash.get(keyHash));
  }

  Optional<TenantConfig> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
