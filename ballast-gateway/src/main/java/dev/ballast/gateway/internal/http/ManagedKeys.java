package dev.ballast.gateway.internal.http;

import dev.ballast.core.access.ManagedKey;
import dev.ballast.core.spi.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's managed keys as this node authenticates them: what was read of a key hash (found or
 * not) is trusted for {@code ttl}, so a request does not read the database, and read again after.
 *
 * <p>The bound this gives (docs/security.md): a key revoked on any node is refused by every node at
 * most {@code ttl} (plus one store read) after the revocation committed; the node that revokes
 * forgets its copy at once. Expiry needs no read: it is checked against the clock on every request.
 *
 * <p>Thread-safe. At most {@value #MAX_ENTRIES} hashes are held; beyond that the cache starts over,
 * so a flood of random keys costs store reads, never memory.
 */
final class ManagedKeys {
  static final int MAX_ENTRIES = 10_000;

  private final KeyStore store;
  private final Clock clock;
  private final Duration ttl;
  private final ConcurrentHashMap<String, Read> byHash = new ConcurrentHashMap<>();

  private record Read(Optional<ManagedKey> key, Instant at) {}

  ManagedKeys(KeyStore store, Clock clock, Duration ttl) {
    this.store = store;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** The key whose hash is {@code keyHash}, as read at most {@code ttl} ago. */
  Optional<ManagedKey> find(String keyHash) {
    Instant now = clock.instant();
    Read read = byHash.get(keyHash);
    if (read == null || !now.isBefore(read.at().plus(ttl))) {
      if (byHash.size() >= MAX_ENTRIES) {
        byHash.clear();
      }
      read = new Read(store.findByHash(keyHash), now);
      byHash.put(keyHash, read);
    }
    return read.key();
  }

  /** Drops this node's copy of a key it has just created or revoked. */
  void forget(String keyHash) {
    byHash.remove(keyHash);
  }

  /** How many key hashes this node holds a read of. */
  int cached() {
    return byHash.size();
  }

  KeyStore store() {
    return store;
  }

  Clock clock() {
    return clock;
  }
}
