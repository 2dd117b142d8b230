package dev.ballast.store.internal;

import dev.ballast.core.spi.MemoryStore;
import dev.ballast.core.state.MemoryEntry;
import dev.ballast.core.state.MemoryMutation;
import dev.ballast.core.state.MemoryWrite;
import dev.ballast.store.StoreException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Conversation memory over JDBC: JdbcMemory's SQL, with its {@link SQLException}s turned into
 * {@link StoreException}s that name the operation and the store. Thread-safe.
 */
final class JdbcMemoryStore implements MemoryStore {
  private final JdbcMemory memory;
  private final SqlFailures failures;

  JdbcMemoryStore(JdbcMemory memory, SqlFailures failures) {
    this.memory = memory;
    this.failures = failures;
  }

  @Override
  public MemoryWrite write(
      String conversation,
      long expectedVersion,
      List<MemoryMutation> mutations,
      String effectKey,
      Instant now) {
    try {
      return memory.write(conversation, expectedVersion, mutations, effectKey, now);
    } catch (SQLException e) {
      throw failures.of("writing memory of " + conversation, e);
    }
  }

  @Override
  public long currentVersion(String conversation) {
    try {
      return memory.currentVersion(conversation);
    } catch (SQLException e) {
      throw failures.of("reading memory of " + conversation, e);
    }
  }

  @Override
  public List<MemoryEntry> history(String conversation, long upToVersion) {
    try {
      return memory.history(conversation, upToVersion);
    } catch (SQLException e) {
      throw failures.of("reading memory of " + conversation, e);
    }
  }
}
