package dev.ballast.core.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link JournalWriter} buffers and retries. Immutable; values are checked when built.
 *
 * @param spoolDir where entries go when the queue is full or the store keeps failing; one writer
 *     per directory
 * @param queueCapacity entries held in memory before submitters spill to the spool (default 65536)
 * @param queueBytes payload bytes held in memory before submitters spill to the spool (default an
 *     eighth of the heap, 8 MiB to 512 MiB; at least 64 KiB): the bound that keeps a node whose
 *     store falls behind from filling its heap with waiting payloads
 * @param maxBatch most entries written in one store call (default 512)
 * @param maxAttempts store calls for one batch before it is moved to the spool (default 3)
 * @param initialBackoff pause after the first failed store call, doubled per failure (100 ms)
 * @param maxBackoff longest pause between store calls (5 s)
 * @param closeTimeout how long {@link JournalWriter#close} waits for the store before leaving the
 *     rest in the spool for the next start (30 s)
 */
public record JournalWriterConfig(
    Path spoolDir,
    int queueCapacity,
    long queueBytes,
    int maxBatch,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration closeTimeout) {

  public JournalWriterConfig {
    Objects.requireNonNull(spoolDir, "spoolDir must be set");
    positive("queueCapacity", queueCapacity);
    if (queueBytes < MIN_QUEUE_BYTES) {
      throw new IllegalArgumentException(
          "queueBytes must be at least " + MIN_QUEUE_BYTES + ", but was " + queueBytes);
    }
    positive("maxBatch", maxBatch);
    positive("maxAttempts", maxAttempts);
    positive("initialBackoff", initialBackoff);
    positive("maxBackoff", maxBackoff);
    positive("closeTimeout", closeTimeout);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff must be at least initialBackoff ("
              + initialBackoff
              + "), but was "
              + maxBackoff);
    }
  }

  /** The least {@link #queueBytes()}: room for a few large payloads. */
  public static final long MIN_QUEUE_BYTES = 64 * 1024;

  public static JournalWriterConfig defaults(Path spoolDir) {
    return new JournalWriterConfig(
        spoolDir,
        65_536,
        defaultQueueBytes(),
        512,
        3,
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30));
  }

  public JournalWriterConfig withQueueCapacity(int queueCapacity) {
    return new JournalWriterConfig(
        spoolDir,
        queueCapacity,
        queueBytes,
        maxBatch,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        closeTimeout);
  }

  public JournalWriterConfig withQueueBytes(long queueBytes) {
    return new JournalWriterConfig(
        spoolDir,
        queueCapacity,
        queueBytes,
        maxBatch,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        closeTimeout);
  }

  /**
   * An eighth of the most heap this JVM may use, within 8 MiB..512 MiB: on the default 256 MiB
   * heap, 32 MiB of waiting payloads, which a young collection can still afford to copy.
   */
  public static long defaultQueueBytes() {
    long eighth = Runtime.getRuntime().maxMemory() / 8;
    return Math.clamp(eighth, 8L << 20, 512L << 20);
  }

  public JournalWriterConfig withMaxBatch(int maxBatch) {
    return new JournalWriterConfig(
        spoolDir,
        queueCapacity,
        queueBytes,
        maxBatch,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        closeTimeout);
  }

  public JournalWriterConfig withRetry(
      int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    return new JournalWriterConfig(
        spoolDir,
        queueCapacity,
        queueBytes,
        maxBatch,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        closeTimeout);
  }

  public JournalWriterConfig withCloseTimeout(Duration closeTimeout) {
    return new JournalWriterConfig(
        spoolDir,
        queueCapacity,
        queueBytes,
        maxBatch,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        closeTimeout);
  }

  /** The pause after {@code backoff}: doubled, up to {@link #maxBackoff()}. */
  Duration nextBackoff(Duration backoff) {
    Duration next = backoff.multipliedBy(2);
    return next.compareTo(maxBackoff) > 0 ? maxBackoff : next;
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, but was " + value);
    }
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, but was " + value);
    }
  }
}
