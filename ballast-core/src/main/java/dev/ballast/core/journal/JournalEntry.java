package dev.ballast.core.journal;

import java.time.Instant;

/**
 * An event in its place: run, sequence number and time. {@code (runId, seq)} is unique, so writing
 * the same entry twice (a spool drained after a crash) is harmless.
 *
 * <p>Gateway runs number their events densely from 0. A pipeline run is written by one worker per
 * lease, so its events are numbered in blocks: {@code fence * }{@link #BLOCK}{@code + n}, where
 * {@code fence} is the lease's fencing token (0 for the submission). Two holders of one run can
 * therefore never write the same {@code seq}, and ordering by {@code seq} orders by lease.
 */
public record JournalEntry(String runId, int seq, Instant at, JournalEvent event) {
  /** Sequence numbers available to one lease of a pipeline run. */
  public static final int BLOCK = 1_000;
}
