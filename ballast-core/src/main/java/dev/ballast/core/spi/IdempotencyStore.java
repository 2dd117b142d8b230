package dev.ballast.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers client {@code Idempotency-Key}s so that a retried request joins the call in flight or
 * receives the recorded result instead of reaching a provider again — across every node that shares
 * the store.
 *
 * <p>Invariants: for one {@code (tenant, key)} at most one caller holds the claim at a time; a
 * completed record is returned unchanged until it expires; a claim whose holder never completed it
 * (a crashed node) is given to a new caller once it is older than {@code abandonAfter}.
 * Implementations are thread-safe.
 */
public interface IdempotencyStore {

  /**
   * Claims the key for {@code runId}, or returns the record that already holds it.
   *
   * @return a record whose {@link IdempotencyRecord#claimedBy} is {@code runId} when the caller now
   *     owns the key
   */
  IdempotencyRecord claim(
      String tenant,
      String key,
      String requestHash,
      String runId,
      Instant now,
      Duration ttl,
      Duration abandonAfter);

  /** Records the final response of the claimed call; {@code body} null to keep none. */
  void complete(String tenant, String key, String runId, int status, byte[] body);

  /** Gives up a claim without a result, so that the next retry executes. */
  void release(String tenant, String key, String runId);

  Optional<IdempotencyRecord> find(String tenant, String key);

  /**
   * Deletes every key that expired before {@code now}, and every claim never completed that is
   * older than {@code abandonAfter}: nothing would ever answer from them again.
   *
   * @return how many keys were deleted
   */
  int sweep(Instant now, Duration abandonAfter);

  /**
   * One key's state.
   *
   * @param claimedBy the run that executes (or executed) the call
   * @param status the recorded HTTP status, null while the call is in flight
   * @param body the recorded response; null when the tenant's capture policy kept none
   */
  record IdempotencyRecord(
      String claimedBy, String requestHash, Integer status, byte[] body, Instant createdAt) {
    public boolean completed() {
      return status != null;
    }
  }
}
