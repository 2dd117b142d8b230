package dev.ballast.core.config;

/**
 * {@code journal}: the bounded queue between the hot path and the store.
 *
 * @param queueCapacity entries held in memory before spilling to the spool file
 * @param batchSize the most entries written in one transaction
 */
public record JournalConfig(int queueCapacity, int batchSize) {
  public static final JournalConfig DEFAULT = new JournalConfig(65_536, 512);
}
