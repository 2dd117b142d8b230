package dev.ballast.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.access.ManagedKey;
import dev.ballast.core.spi.KeyStore;
import dev.ballast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a node trusts of a managed key, and for how long (docs/security.md): a revocation made
 * elsewhere is seen once the cache TTL has passed and not before, without a store read per request.
 */
class ManagedKeysTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(5);

  private final MutableClock clock = new MutableClock(T0);
  private final CountingKeys store = new CountingKeys();
  private final ManagedKeys keys = new ManagedKeys(store, clock, TTL);

  private static ManagedKey key(String hash) {
    return new ManagedKey(
        "key_" + hash, hash, "bk-x", "acme", null, false, null, null, null, "ops", T0, null, null);
  }

  @Test
  void aRevocationMadeElsewhereIsSeenWhenTheTtlHasPassedAndNotBefore() {
    store.create(key("h1"));
    assertThat(keys.find("h1").orElseThrow().revokedAt()).isNull();

    store.revoke("key_h1", T0); // on another node: this one's copy is not forgotten
    clock.advance(TTL.minusMillis(1));
    assertThat(keys.find("h1").orElseThrow().revokedAt()).isNull();
    clock.advance(Duration.ofMillis(1));
    assertThat(keys.find("h1").orElseThrow().revokedAt()).isEqualTo(T0);
  }

  @Test
  void withinTheTtlTheStoreIsReadOncePerKey() {
    store.create(key("h1"));
    for (int i = 0; i < 100; i++) {
      keys.find("h1");
      keys.find("unknown");
    }
    assertThat(store.reads.get()).isEqualTo(2);
  }

  @Test
  void aKeyThisNodeRevokesIsForgottenAtOnce() {
    store.create(key("h1"));
    keys.find("h1");
    store.revoke("key_h1", T0);
    keys.forget("h1");
    assertThat(keys.find("h1").orElseThrow().revokedAt()).isEqualTo(T0);
  }

  @Test
  void aFloodOfUnknownKeysIsBoundedInMemory() {
    for (int i = 0; i < ManagedKeys.MAX_ENTRIES * 2 + 1; i++) {
      assertThat(keys.find("guess-" + i)).isEmpty();
    }
    assertThat(keys.cached()).isLessThanOrEqualTo(ManagedKeys.MAX_ENTRIES);
  }

  /** An in-memory key store that counts its reads by hash. */
  private static final class CountingKeys implements KeyStore {
    final Map<String, ManagedKey> byId = new ConcurrentHashMap<>();
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public void create(ManagedKey key) {
      byId.put(key.id(), key);
    }

    @Override
    public Optional<ManagedKey> findByHash(String keyHash) {
      reads.incrementAndGet();
      return byId.values().stream().filter(k -> k.keyHash().equals(keyHash)).findFirst();
    }

    @Override
    public Optional<ManagedKey> find(String id) {
      return Optional.ofNullable(byId.get(id));
    }

    @Override
    public List<ManagedKey> list(String tenant, boolean includeRevoked) {
      return new ArrayList<>(byId.values());
    }

    @Override
    public Optional<ManagedKey> revoke(String id, Instant at) {
      return Optional.ofNullable(byId.computeIfPresent(id, (k, v) -> v.revoked(at)));
    }
  }
}
