package dev.ballast.core.journal;

/**
 * A snapshot of a {@link JournalWriter}'s counters.
 *
 * @param queued entries in the in-memory queue now
 * @param spooled entries ever written to the spool by this writer
 * @param pendingSpool entries in spool files now, including any left by a previous process
 * @param written entries the store accepted, including those recovered from an earlier spool
 * @param failedBatches store calls that failed (each retry counts)
 */
public record JournalWriterStats(
    int queued, long spooled, long pendingSpool, long written, long failedBatches) {}
