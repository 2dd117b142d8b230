package dev.ballast.testkit.store;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.model.Usage;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Journal entries for store and writer tests. Times are whole milliseconds because stores keep
 * microseconds: an entry read back must equal the entry written.
 */
public final class JournalFixtures {
  public static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  private JournalFixtures() {}

  public static JournalEntry started(String runId, Instant at, String tenant, String model) {
    var event =
        new JournalEvent.RunStarted(
            "gateway",
            "chat",
            "openai",
            tenant,
            model,
            false,
            new Pins("cfg-1", model, List.of("primary", "backup")),
            Payload.of("{\"messages\":[{\"role\":\"user\",\"content\":\"hi " + runId + "\"}]}"));
    return new JournalEntry(runId, 0, at, event);
  }

  /** An attempt that answered, carrying a raw and a normalized response payload. */
  public static JournalEntry attempt(String runId, int seq, Instant at, int attempt) {
    var event =
        JournalEvent.ProviderAttempt.answered(
            new JournalEvent.ProviderAttempt.Site(
                attempt, "primary", "openai", "gpt-4o-2024-08-06", "closed", 120.5),
            null,
            new Usage(10, 20, 0, 0, false),
            0.0015,
            "gpt-4o-2024-08-06",
            "fp_1",
            List.of(),
            Payload.of("raw answer " + runId + " " + attempt),
            Payload.of("{\"answer\":\"hello\"}"));
    return new JournalEntry(runId, seq, at, event);
  }

  public static JournalEntry completed(String runId, int seq, Instant at) {
    var event =
        new JournalEvent.RunCompleted(
            "primary",
            "gpt-4o-2024-08-06",
            "stop",
            new Usage(10, 20, 0, 0, false),
            0.0015,
            250.0,
            Payload.of("{\"answer\":\"hello\"}"));
    return new JournalEntry(runId, seq, at, event);
  }

  public static JournalEntry failed(String runId, int seq, Instant at, String errorClass) {
    return new JournalEntry(
        runId, seq, at, new JournalEvent.RunFailed(errorClass, 502, "upstream failed", false, 80));
  }

  /** A whole successful run: started, two attempts, completed; four entries. */
  public static List<JournalEntry> succeededRun(
      String runId, Instant at, String tenant, String model) {
    return List.of(
        started(runId, at, tenant, model),
        attempt(runId, 1, at.plusMillis(10), 1),
        attempt(runId, 2, at.plusMillis(20), 2),
        completed(runId, 3, at.plusMillis(30)));
  }

  /** A run that failed after one attempt; three entries. */
  public static List<JournalEntry> failedRun(
      String runId, Instant at, String tenant, String model, String errorClass) {
    return List.of(
        started(runId, at, tenant, model),
        attempt(runId, 1, at.plusMillis(10), 1),
        failed(runId, 2, at.plusMillis(20), errorClass));
  }

  /** The payload content the entries carry, by hash, as {@code JournalStore.append} takes it. */
  public static Map<String, byte[]> blobsOf(List<JournalEntry> entries) {
    Map<String, byte[]> blobs = new HashMap<>();
    for (JournalEntry entry : entries) {
      for (Payload payload : entry.event().payloads()) {
        if (payload.bytes() != null) {
          blobs.put(payload.hash(), payload.bytes());
        }
      }
    }
    return blobs;
  }
}
