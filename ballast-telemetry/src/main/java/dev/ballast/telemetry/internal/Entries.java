package dev.ballast.telemetry.internal;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.journal.JournalEvent.StageCompleted;

/** Journal entries as the tracer keeps them while a run is unfinished. */
public final class Entries {
  private Entries() {}

  /**
   * The entry without its payloads, so that a buffered run does not hold prompts and answers in
   * memory when content is not captured anyway.
   */
  public static JournalEntry withoutContent(JournalEntry entry) {
    JournalEvent event = entry.event();
    if (event.payloads().isEmpty()) {
      return entry;
    }
    JournalEvent stripped =
        switch (event) {
          case RunStarted s ->
              new RunStarted(
                  s.kind(),
                  s.operation(),
                  s.api(),
                  s.tenant(),
                  s.model(),
                  s.stream(),
                  s.pins(),
                  null,
                  s.keyId());
          case ProviderAttempt a -> a.withoutPayloads();
          case RunCompleted c ->
              new RunCompleted(
                  c.deployment(),
                  c.responseModel(),
                  c.finishReason(),
                  c.usage(),
                  c.cost(),
                  c.durationMs(),
                  null);
          case StageCompleted c ->
              new StageCompleted(c.stage(), c.index(), c.attempt(), c.durationMs(), null);
          default -> event;
        };
    return new JournalEntry(entry.runId(), entry.seq(), entry.at(), stripped);
  }
}
