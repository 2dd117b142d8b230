package dev.ballast.core.journal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Entries written together, with the payload content they carry.
 *
 * @param recovered true when the entries came from a spool left by an earlier process
 */
record JournalBatch(List<JournalEntry> entries, Map<String, byte[]> blobs, boolean recovered) {

  static JournalBatch of(List<JournalEntry> entries) {
    Map<String, byte[]> blobs = new HashMap<>();
    for (JournalEntry entry : entries) {
      blobsOf(entry, blobs);
    }
    return new JournalBatch(entries, blobs, false);
  }

  /** Adds the payload content of {@code entry} that is held in memory to {@code blobs}. */
  static void blobsOf(JournalEntry entry, Map<String, byte[]> blobs) {
    for (Payload payload : entry.event().payloads()) {
      if (payload.bytes() != null) {
        blobs.put(payload.hash(), payload.bytes());
      }
    }
  }

  int size() {
    return entries.size();
  }
}
