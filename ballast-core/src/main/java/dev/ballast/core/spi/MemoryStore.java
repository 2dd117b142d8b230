package dev.ballast.core.spi;

import dev.ballast.core.state.MemoryEntry;
import dev.ballast.core.state.MemoryMutation;
import dev.ballast.core.state.MemoryWrite;
import java.time.Instant;
import java.util.List;

/**
 * Conversation memory: per conversation, an append-only log of mutations numbered 1, 2, 3...
 *
 * <p>Invariants every implementation keeps (checked by the store kit on both backends, with
 * concurrent writers in threads and in processes):
 *
 * <ul>
 *   <li>A write is compare-and-set: it applies only when the conversation is at {@code
 *       expectedVersion}, and then its mutations take versions {@code expectedVersion+1 ..
 *       expectedVersion+n} atomically. Otherwise it throws {@link
 *       dev.ballast.core.state.VersionConflictException} and nothing is written. No update is ever
 *       lost and no version is ever written twice.
 *   <li>A write whose non-null {@code effectKey} was written before for the conversation applies
 *       nothing and returns the original write's versions with {@code applied=false}, whatever
 *       {@code expectedVersion} it carries: a retried write is recognised, not applied twice.
 *   <li>A mutation that does not apply to the memory at {@code expectedVersion} (replacing an
 *       absent fact...) is refused with {@link dev.ballast.core.state.InvalidMutationException}.
 *   <li>Entries never change once written, so memory as of a version is the same forever.
 * </ul>
 *
 * Implementations are thread-safe.
 */
public interface MemoryStore {

  /** Appends {@code mutations} if the conversation is at {@code expectedVersion}; see above. */
  MemoryWrite write(
      String conversation,
      long expectedVersion,
      List<MemoryMutation> mutations,
      String effectKey,
      Instant now);

  /** The conversation's last version, 0 when it has none. */
  long currentVersion(String conversation);

  /**
   * The entries {@code 1..upToVersion} in order (fewer when the conversation is not that far);
   * {@link dev.ballast.core.state.MemoryView#of} folds them into memory at that version.
   */
  List<MemoryEntry> history(String conversation, long upToVersion);
}
