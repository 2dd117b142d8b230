package dev.ballast.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.model.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Unfinished runs are held for a bounded time, then expired and counted apart. */
class RunBufferExpiryTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private final AtomicLong nanos = new AtomicLong();
  private final RunBuffer buffer =
      new RunBuffer(100, 10_000, false, true, Duration.ofMinutes(15), nanos::get);

  private static JournalEntry started(String runId) {
    return new JournalEntry(
        runId,
        0,
        T0,
        new JournalEvent.RunStarted("gateway", "chat", "openai", "t", "m", false, null, null));
  }

  private static JournalEntry completed(String runId) {
    return new JournalEntry(
        runId, 1, T0, new JournalEvent.RunCompleted(null, null, null, Usage.ZERO, 0, 1, null));
  }

  @Test
  void aRunHeldLongerThanItsTimeToLiveIsExpiredAndItsLaterEntriesIgnored() {
    buffer.add(List.of(started("run_a")));
    nanos.addAndGet(Duration.ofMinutes(10).toNanos());
    buffer.add(List.of(started("run_b")));
    assertThat(buffer.counts().bufferedRuns()).isEqualTo(2);

    nanos.addAndGet(Duration.ofMinutes(6).toNanos());
    buffer.add(List.of(started("run_c")));

    assertThat(buffer.counts().expiredRuns()).isEqualTo(1);
    assertThat(buffer.counts().bufferedRuns()).as("run_b and run_c are younger").isEqualTo(2);
    assertThat(buffer.add(List.of(completed("run_a"))).ready()).isEmpty();
    assertThat(buffer.add(List.of(completed("run_b"), completed("run_c"))).ready()).hasSize(2);
    assertThat(buffer.counts().bufferedRuns()).isZero();
  }

  @Test
  void aQueuedPipelineRunIsNeverHeldAndEachTerminalEventIsHandedOutOnce() {
    JournalEntry dead =
        new JournalEntry(
            "prun_x", 1003, T0, new JournalEvent.RunDead("notify", "http_503", "no", 1));
    RunBuffer.Added first =
        buffer.add(List.of(new JournalEntry("prun_x", 1002, T0, dead.event()), dead));
    RunBuffer.Added again = buffer.add(List.of(dead));

    assertThat(first.ended())
        .containsExactly(new RunBuffer.Ended("prun_x", 1002), new RunBuffer.Ended("prun_x", 1003));
    assertThat(again.ended()).isEmpty();
    assertThat(buffer.counts().bufferedRuns()).isZero();
  }
}
