package dev.ballast.core.journal;

import java.time.Instant;

/**
 * An event in its place: run, sequence number (0-based, dense per run) and time. {@code (runId,
 * seq)} is unique, so writing the same entry twice (a spool drained after a crash) is harmless.
 */
public record JournalEntry(String runId, int seq, Instant at, JournalEvent event) {}
