package dev.ballast.core.journal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One spooled entry as one JSON line. The event holds only payload references, so the content of
 * its payloads travels beside it (base64 in JSON) to reach the blob table when the line is drained.
 */
record SpoolLine(String runId, int seq, Instant at, JournalEvent event, Map<String, byte[]> blobs) {

  static SpoolLine of(JournalEntry entry) {
    Map<String, byte[]> blobs = new HashMap<>();
    JournalBatch.blobsOf(entry, blobs);
    return new SpoolLine(entry.runId(), entry.seq(), entry.at(), entry.event(), blobs);
  }

  JournalEntry entry() {
    return new JournalEntry(runId, seq, at, event);
  }
}
