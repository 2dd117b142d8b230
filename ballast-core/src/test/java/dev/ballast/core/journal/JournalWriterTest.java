package dev.ballast.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.core.model.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalWriterTest {
  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path spoolDir;
  private final RecordingJournalStore store = new RecordingJournalStore();
  private JournalWriter writer;

  @AfterEach
  void closeWriter() {
    if (writer != null) {
      store.release();
      writer.close();
    }
  }

  private JournalWriterConfig config() {
    return JournalWriterConfig.defaults(spoolDir)
        .withRetry(2, Duration.ofMillis(1), Duration.ofMillis(20))
        .withCloseTimeout(Duration.ofSeconds(5));
  }

  /** Entry {@code i} of a stream of runs with four entries each; every second one has a payload. */
  private static JournalEntry entry(int i) {
    String runId = "run-" + (i / 4);
    int seq = i % 4;
    JournalEvent event =
        seq % 2 == 0
            ? new JournalEvent.RunCompleted(
                "primary", "m", "stop", Usage.ZERO, 0.0, 1.0, Payload.of("answer " + i))
            : new JournalEvent.RunFailed("server_error", 502, "boom", false, 1.0);
    return new JournalEntry(runId, seq, T0.plusMillis(i), event);
  }

  private static List<JournalEntry> entries(int count) {
    return IntStream.range(0, count).mapToObj(JournalWriterTest::entry).toList();
  }

  private void submitAll(List<JournalEntry> entries) {
    entries.forEach(writer::submit);
  }

  @Test
  void groupsWaitingEntriesIntoFewStoreCalls() {
    store.hold();
    writer = JournalWriter.start(store, config().withMaxBatch(512));
    List<JournalEntry> entries = entries(1000);

    submitAll(entries);
    store.release();

    assertThat(writer.flush(WAIT)).isTrue();
    assertThat(store.deliveredEntries()).containsExactlyInAnyOrderElementsOf(entries);
    // The first call may take one entry; the other 999 wait and go in batches of at most 512.
    assertThat(store.appendCalls.get()).isLessThanOrEqualTo(3);
  }

  @Test
  void listenersSeeEveryStoredEntryAfterItIsStoredAndCannotBreakTheWriter() {
    List<JournalEntry> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean storedFirst =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    writer = JournalWriter.start(store, config());
    writer.addListener(
        batch -> {
          if (!store.deliveredEntries().containsAll(batch)) {
            storedFirst.set(false);
          }
          seen.addAll(batch);
        });
    writer.addListener(
        batch -> {
          throw new IllegalStateException("a broken listener");
        });
    List<JournalEntry> entries = entries(300);

    submitAll(entries);

    assertThat(writer.flush(WAIT)).isTrue();
    assertThat(seen).containsExactlyInAnyOrderElementsOf(entries);
    assertThat(storedFirst).isTrue();
  }

  @Test
  void writesPayloadContentAsBlobs() {
    writer = JournalWriter.start(store, config());
    JournalEntry withPayload = entry(0);

    writer.submit(withPayload);

    assertThat(writer.flush(WAIT)).isTrue();
    Payload payload = withPayload.event().payloads().getFirst();
    assertThat(store.blob(payload.hash()))
        .hasValueSatisfying(
            b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("answer 0"));
  }

  @Test
  void spillsToTheSpoolWhenTheQueueIsFullAndDrainsItLater() throws IOException {
    store.hold();
    writer = JournalWriter.start(store, config().withQueueCapacity(16).withMaxBatch(8));
    List<JournalEntry> entries = entries(1000);

    submitAll(entries);
    assertThat(writer.stats().spooled()).isGreaterThan(900);
    store.release();

    assertThat(writer.flush(WAIT)).isTrue();
    assertThat(store.deliveredEntries()).containsExactlyInAnyOrderElementsOf(entries);
    assertThat(writer.stats().written()).isEqualTo(1000);
    await().atMost(WAIT).until(() -> spoolFiles().isEmpty());
    assertThat(writer.stats().pendingSpool()).isZero();
  }

  @Test
  void spillsToTheSpoolWhenTheQueuedPayloadBytesReachTheBound() throws IOException {
    store.hold();
    // Room for 64 KiB of payload: far fewer entries of 4 KiB than the entry bound allows.
    writer = JournalWriter.start(store, config().withQueueBytes(64 * 1024).withMaxBatch(8));
    String answer = "x".repeat(4096);
    List<JournalEntry> entries =
        IntStream.range(0, 200)
            .mapToObj(
                i ->
                    new JournalEntry(
                        "big-" + i,
                        0,
                        T0,
                        new JournalEvent.RunCompleted(
                            "primary", "m", "stop", Usage.ZERO, 0.0, 1.0, Payload.of(answer + i))))
            .toList();

    submitAll(entries);
    // At most 64 KiB / 4 KiB = 16 entries wait in memory; a batch of up to 8 more may have been
    // taken by the writer before the held store stopped it. Everything else went to the spool.
    assertThat(writer.stats().queued()).isLessThanOrEqualTo(16);
    assertThat(writer.stats().spooled()).isGreaterThanOrEqualTo(200 - 16 - 8);
    store.release();

    assertThat(writer.flush(WAIT)).isTrue();
    assertThat(store.deliveredEntries()).containsExactlyInAnyOrderElementsOf(entries);
    await().atMost(WAIT).until(() -> spoolFiles().isEmpty());
  }

  @Test
  void listenersSeeEveryBatchInStoreOrderBeforeFlushReturns() {
    List<JournalEntry> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicReference<String> listenerThread =
        new java.util.concurrent.atomic.AtomicReference<>();
    writer = JournalWriter.start(store, config().withMaxBatch(7));
    writer.addListener(
        batch -> {
          listenerThread.set(Thread.currentThread().getName());
          seen.addAll(batch);
        });
    List<JournalEntry> entries = entries(500);

    submitAll(entries);

    assertThat(writer.flush(WAIT)).isTrue();
    // No waiting here: flush returned, so every batch it covered has reached the listeners.
    assertThat(seen).containsExactlyElementsOf(store.deliveredEntries());
    assertThat(listenerThread.get()).isEqualTo("ballast-journal-listeners");
  }

  @Test
  void spoolsWhileTheStoreFailsAndDeliversEverythingWhenItRecovers() {
    store.failing.set(true);
    writer = JournalWriter.start(store, config());
    List<JournalEntry> entries = entries(200);

    submitAll(entries);
    await().atMost(WAIT).until(() -> writer.stats().spooled() == 200);
    assertThat(writer.stats().failedBatches()).isPositive();
    assertThat(writer.stats().queued()).isZero();
    store.failing.set(false);

    assertThat(writer.flush(WAIT)).isTrue();
    assertThat(store.deliveredEntries()).containsExactlyInAnyOrderElementsOf(entries);
    assertThat(writer.stats().pendingSpool()).isZero();
  }

  @Test
  void drainsASpoolLeftByAPreviousProcessOnStart() {
    store.failing.set(true);
    JournalWriter previous =
        JournalWriter.start(store, config().withCloseTimeout(Duration.ofMillis(50)));
    List<JournalEntry> entries = entries(100);
    entries.forEach(previous::submit);
    previous.close();
    assertThat(previous.stats().pendingSpool()).isEqualTo(100);
    store.failing.set(false);

    writer = JournalWriter.start(store, config());

    await().atMost(WAIT).until(() -> writer.stats().written() == 100);
    assertThat(store.deliveredEntries()).containsExactlyInAnyOrderElementsOf(entries);
    assertThat(store.blobs).hasSize(50);
    await().atMost(WAIT).until(() -> spoolFiles().isEmpty());
  }

  @Test
  void skipsATornLastLineLeftByACrash() throws IOException {
    JournalSpool spool = JournalSpool.open(spoolDir);
    spool.append(entries(3));
    spool.close();
    Path file = spoolFiles().getFirst();
    Files.writeString(file, "{\"runId\":\"run-9\",\"se", java.nio.file.StandardOpenOption.APPEND);

    writer = JournalWriter.start(store, config());

    await().atMost(WAIT).until(() -> spoolFiles().isEmpty());
    assertThat(store.deliveredEntries()).containsExactlyInAnyOrderElementsOf(entries(3));
    assertThat(writer.stats().pendingSpool()).isZero();
  }

  @Test
  void refusesASecondWriterOnTheSameSpool() {
    writer = JournalWriter.start(store, config());

    assertThatThrownBy(() -> JournalWriter.start(store, config()))
        .hasMessageContaining("in use by another writer");
  }

  @Test
  void refusesEntriesAfterClose() {
    writer = JournalWriter.start(store, config());
    writer.close();

    assertThatThrownBy(() -> writer.submit(entry(0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void rejectsInvalidConfigurationNamingTheValue() {
    assertThatThrownBy(() -> config().withQueueCapacity(0))
        .hasMessage("queueCapacity must be positive, but was 0");
    assertThatThrownBy(() -> config().withQueueBytes(1000))
        .hasMessage("queueBytes must be at least 65536, but was 1000");
  }

  private List<Path> spoolFiles() throws IOException {
    try (Stream<Path> files = Files.list(spoolDir)) {
      return files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
    }
  }
}
