package dev.ballast.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunBufferTest {
  @Test
  void watchsAlertJournalsAreNotHeldForTracing() {
    RunBuffer buffer =
        new RunBuffer(10, 1_000, false, false, Duration.ofMinutes(15), System::nanoTime);
    JournalEvent.AlertChanged opened =
        new JournalEvent.AlertChanged(
            JournalEvent.AlertChanged.OPENED,
            "deployment:d",
            "model",
            "model_changed",
            "critical",
            "model changed",
            null,
            null,
            null,
            Instant.EPOCH,
            "run_a",
            "run_b",
            List.of());
    assertThat(buffer.add(List.of(new JournalEntry("alrt_1", 0, Instant.EPOCH, opened))).ready())
        .isEmpty();
    assertThat(buffer.counts().bufferedRuns()).isZero();
    assertThat(buffer.counts().droppedRuns()).isZero();
  }
}
