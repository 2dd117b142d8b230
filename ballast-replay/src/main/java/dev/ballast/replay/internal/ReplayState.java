package dev.ballast.replay.internal;

import dev.ballast.core.spi.MemoryStore;
import dev.ballast.core.state.MemoryEntry;
import dev.ballast.core.state.MemoryMutation;
import dev.ballast.core.state.MemoryWrite;
import dev.ballast.pipeline.NetworkForbiddenException;
import dev.ballast.pipeline.StateServices;
import dev.ballast.pipeline.spi.ContextPacker;
import dev.ballast.pipeline.spi.Retriever;
import java.time.Instant;
import java.util.List;

/**
 * The versioned state a replayed run's stages see: memory as of the run's pinned version (entries
 * never change once written, so a replay reads what the run read), the same deterministic context
 * packer, and nothing that changes or searches state. Retrievals and memory mutations are fed whole
 * from the journal ({@code retrieve} and {@code memory_update} stages are substituted); should a
 * stage reach for them anyway, or for memory as of "now", the replay fails instead of reading or
 * writing live state.
 */
public final class ReplayState {
  private ReplayState() {}

  /**
   * @param memory the store's conversation memory, or null when it keeps none
   * @param packer the context packer of the configuration, or null when it has none
   */
  public static StateServices of(MemoryStore memory, ContextPacker packer) {
    return new StateServices(
        null, memory == null ? null : new PinnedMemory(memory), NO_RETRIEVAL, packer);
  }

  private static final Retriever NO_RETRIEVAL =
      query -> {
        throw new NetworkForbiddenException(
            "retrieval " + query.collection(),
            "a replay does not search collection "
                + query.collection()
                + ": retrievals are fed from the journal");
      };

  /** Reads history as of a version; refuses writes and reads of the current version. */
  private record PinnedMemory(MemoryStore store) implements MemoryStore {
    @Override
    public MemoryWrite write(
        String conversation,
        long expectedVersion,
        List<MemoryMutation> mutations,
        String effectKey,
        Instant now) {
      throw new NetworkForbiddenException(
          "memory " + conversation,
          "a replay writes no memory (conversation "
              + conversation
              + "): memory updates are fed from the journal");
    }

    @Override
    public long currentVersion(String conversation) {
      throw new NetworkForbiddenException(
          "memory " + conversation,
          "a replay reads memory only as of the run's pinned version, not conversation "
              + conversation
              + "'s current one");
    }

    @Override
    public List<MemoryEntry> history(String conversation, long upToVersion) {
      return store.history(conversation, upToVersion);
    }
  }
}
