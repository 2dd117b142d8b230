package dev.ballast.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which runs a batch replays when the journal holds more runs than one page of its listing. */
class BatchSelectionTest {
  @TempDir Path dir;

  @Test
  void aBatchFindsItsPipelineRunsBehindAFullPageOfOtherRuns() {
    try (Store store = Stores.open("sqlite:", dir)) {
      Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
      List<JournalEntry> entries = new ArrayList<>();
      // 300 digest runs, then a full page of newer runs of another pipeline and model calls.
      for (int i = 0; i < 300; i++) {
        entries.add(start("prun_d" + i, "digest", t0.plusMillis(i)));
      }
      for (int i = 0; i < RunQuery.MAX_LIMIT; i++) {
        Instant at = t0.plusSeconds(10).plusMillis(i);
        entries.add(start("prun_o" + i, "other", at));
        entries.add(start("prun_o" + i + "/summarize/1", "chat", at));
      }
      store.journal().append(entries, Map.of());
      Replayer replayer =
          new Replayer(
              store.journal(), Map.of(), Map.of(), Set.of(), null, null, Clock.systemUTC());

      List<RunSummary> digest =
          replayer.select(new BatchFilter("digest", null, null, null, RunQuery.MAX_LIMIT));
      List<RunSummary> newest = replayer.select(new BatchFilter("digest", null, null, null, 5));

      assertThat(digest).hasSize(300);
      assertThat(digest.getFirst().id()).isEqualTo("prun_d299");
      assertThat(digest.getLast().id()).isEqualTo("prun_d0");
      assertThat(newest).extracting(RunSummary::id).first().isEqualTo("prun_d299");
      assertThat(newest).hasSize(5);
    }
  }

  private static JournalEntry start(String runId, String operation, Instant at) {
    boolean call = runId.contains("/");
    return new JournalEntry(
        runId,
        0,
        at,
        new JournalEvent.RunStarted(
            call ? "gateway" : "pipeline",
            operation,
            call ? "openai" : null,
            "team",
            call ? "default" : null,
            false,
            Pins.pipeline("cfg", "v1"),
            null));
  }
}
