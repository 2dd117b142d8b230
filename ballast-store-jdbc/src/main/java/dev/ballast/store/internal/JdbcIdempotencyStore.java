package dev.ballast.store.internal;

import dev.ballast.core.spi.IdempotencyStore;
import dev.ballast.store.StoreException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Idempotency keys over JDBC: JdbcIdempotency's SQL, with its {@link SQLException}s turned into
 * {@link StoreException}s that name the operation and the store. Thread-safe.
 */
final class JdbcIdempotencyStore implements IdempotencyStore {
  private final JdbcIdempotency idempotency;
  private final SqlFailures failures;

  JdbcIdempotencyStore(JdbcIdempotency idempotency, SqlFailures failures) {
    this.idempotency = idempotency;
    this.failures = failures;
  }

  @Override
  public IdempotencyRecord claim(
      String tenant,
      String key,
      String requestHash,
      String runId,
      Instant now,
      Duration ttl,
      Duration abandonAfter) {
    try {
      return idempotency.claim(tenant, key, requestHash, runId, now, ttl, abandonAfter);
    } catch (SQLException e) {
      throw failures.of("claiming an idempotency key", e);
    }
  }

  @Override
  public void complete(String tenant, String key, String runId, int status, byte[] body) {
    try {
      idempotency.complete(tenant, key, runId, status, body);
    } catch (SQLException e) {
      throw failures.of("recording an idempotent response", e);
    }
  }

  @Override
  public void release(String tenant, String key, String runId) {
    try {
      idempotency.release(tenant, key, runId);
    } catch (SQLException e) {
      throw failures.of("releasing an idempotency key", e);
    }
  }

  @Override
  public int sweep(Instant now, Duration abandonAfter) {
    try {
      return idempotency.sweep(now, abandonAfter);
    } catch (SQLException e) {
      throw failures.of("sweeping expired idempotency keys", e);
    }
  }

  @Override
  public Optional<IdempotencyRecord> find(String tenant, String key) {
    try {
      return idempotency.find(tenant, key);
    } catch (SQLException e) {
      throw failures.of("reading an idempotency key", e);
    }
  }
}
