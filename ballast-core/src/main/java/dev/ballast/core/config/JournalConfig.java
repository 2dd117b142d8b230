package dev.ballast.core.config;

/**
 * {@code journal}: the bounded queue between the hot path and the store.
 *
 * @param queueCapacity entries held in memory before spilling to the spool file
 * @param queueBytes payload bytes held in memory before spilling to the spool file; 0 means the
 *     default, an eighth of the heap (8 MiB..512 MiB)
 * @param batchSize the most entries written in one transaction
 */
public record JournalConfig(int queueCapacity, long queueBytes, int batchSize) {
  public static final JournalConfig DEFAULT = new JournalConfig(65_536, 0, 512);
}
