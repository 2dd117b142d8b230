package dev.ballast.store;

import static dev.ballast.testkit.store.JournalFixtures.T0;
import static dev.ballast.testkit.store.JournalFixtures.succeededRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterConfig;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunStatus;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.spi.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer over the real embedded store: spilled, spooled and queued entries all become rows. */
class SqliteJournalWriterTest {
  @TempDir Path dataDir;

  @Test
  void everySubmittedEntryBecomesExactlyOneRowThroughASmallQueue() {
    List<JournalEntry> entries =
        IntStream.range(0, 500)
            .boxed()
            .flatMap(r -> succeededRun("run-" + r, T0.plusMillis(r), "acme", "gpt").stream())
            .toList();
    try (Store store = Stores.open("sqlite:", dataDir)) {
      JournalWriterConfig config =
          JournalWriterConfig.defaults(dataDir.resolve("spool"))
              .withQueueCapacity(64)
              .withMaxBatch(256);
      try (JournalWriter writer = JournalWriter.start(store.journal(), config)) {
        entries.forEach(writer::submit);

        assertThat(writer.flush(Duration.ofSeconds(20))).isTrue();
        assertThat(writer.stats().written()).isEqualTo(entries.size());
      }

      List<RunSummary> runs = store.journal().listRuns(RunQuery.latest(RunQuery.MAX_LIMIT));
      assertThat(runs)
          .hasSize(500)
          .allSatisfy(
              run -> {
                assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(run.attempts()).isEqualTo(2);
              });
      assertThat(store.journal().events("run-499"))
          .containsExactlyElementsOf(entries.subList(1996, 2000));
    }
  }
}
