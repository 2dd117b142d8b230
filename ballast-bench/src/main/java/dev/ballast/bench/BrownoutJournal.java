package dev.ballast.bench;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.spi.JournalStore;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the journal says about the runs of one brownout configuration. */
final class BrownoutJournal {
  /** The decision key for answers that named no run (the request never reached the chain). */
  static final String NO_RUN = "no_run";

  private BrownoutJournal() {}

  /**
   * What the chain decided after each failed attempt of these runs, counted: why a request was, or
   * was not, answered in the end.
   */
  static Map<String, Integer> failedDecisions(JournalStore journal, String[] runIds) {
    Map<String, Integer> decisions = new TreeMap<>();
    for (String runId : runIds) {
      if (runId == null) {
        decisions.merge(NO_RUN, 1, Integer::sum);
        continue;
      }
      for (JournalEvent.ProviderAttempt a : attempts(journal.events(runId))) {
        if (!a.ok()) {
          decisions.merge(String.valueOf(a.decision()), 1, Integer::sum);
        }
      }
    }
    return decisions;
  }

  /** Whether a run's answer was spliced from more than one attempt (a stream continuation). */
  static boolean continued(JournalStore journal, String runId) {
    return runId != null
        && attempts(journal.events(runId)).stream().anyMatch(a -> a.continuation() != null);
  }

  private static List<JournalEvent.ProviderAttempt> attempts(List<JournalEntry> events) {
    return events.stream()
        .map(JournalEntry::event)
        .filter(JournalEvent.ProviderAttempt.class::isInstance)
        .map(JournalEvent.ProviderAttempt.class::cast)
        .toList();
  }
}
