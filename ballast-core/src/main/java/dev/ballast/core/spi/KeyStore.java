package dev.ballast.core.spi;

import dev.ballast.core.access.ManagedKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Managed virtual keys (docs/security.md): created, found by hash when a request presents one,
 * listed and revoked. A key's row is never deleted, so a revoked key's hash can never be issued or
 * honoured again.
 *
 * <p>Thread-safe; every node sharing the store sees the same keys.
 */
public interface KeyStore {

  /**
   * Stores a new key.
   *
   * @throws IllegalArgumentException when its id or its hash is already taken
   */
  void create(ManagedKey key);

  Optional<ManagedKey> findByHash(String keyHash);

  Optional<ManagedKey> find(String id);

  /**
   * Keys newest first.
   *
   * @param tenant only this tenant's keys; null for every tenant's
   * @param includeRevoked whether revoked keys are listed too
   */
  List<ManagedKey> list(String tenant, boolean includeRevoked);

  /**
   * Revokes the key at {@code at} unless it is already revoked (then its first revocation stands).
   *
   * @return the key as it now is; empty when there is no such key
   */
  Optional<ManagedKey> revoke(String id, Instant at);
}
