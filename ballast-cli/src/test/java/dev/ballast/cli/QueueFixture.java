package dev.ballast.cli;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.NewRun;
import dev.ballast.core.queue.StageFailure;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pipeline runs put into a SQLite store through the run queue directly, in the states a test needs,
 * with no engine and no waiting. Each helper claims the run it just enqueued, so call them before
 * leaving other runs queued.
 */
final class QueueFixture implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");

  final Store store;
  final RunQueue queue;

  QueueFixture(Path dataDir) {
    store = Stores.open("sqlite:", dataDir);
    queue = store.runQueue();
  }

  void queued(String id, String pipeline, String tenant) {
    queue.enqueue(
        new NewRun(
            id, pipeline, "0123456789ab", tenant, 0, bytes("{\"text\":\"hello\"}"), null, T0),
        T0);
  }

  /** A run whose first stage completed and whose second, notify, exhausted its attempts. */
  void dead(String id, String pipeline) {
    queued(id, pipeline, "acme");
    Lease lease = claim(id);
    queue.checkpoint(id, lease.fence(), 0, "shape", bytes("{\"summary\":\"hi\"}"), T0);
    queue.fail(id, lease.fence(), StageFailure.dead("notify", "http_503: hook down"), T0);
  }

  void succeeded(String id, String pipeline) {
    queued(id, pipeline, "acme");
    Lease lease = claim(id);
    queue.complete(id, lease.fence(), bytes("{\"ok\":true}"), T0);
  }

  void failed(String id, String pipeline) {
    queued(id, pipeline, "acme");
    Lease lease = claim(id);
    queue.fail(id, lease.fence(), StageFailure.failed("shape", "bad_input: text is required"), T0);
  }

  void journal(String id, int seq, JournalEvent event) {
    store.journal().append(List.of(new JournalEntry(id, seq, T0.plusMillis(seq), event)), Map.of());
  }

  private Lease claim(String id) {
    Lease lease = queue.claim("test-worker", T0, Duration.ofMinutes(1), Set.of()).orElseThrow();
    if (!lease.runId().equals(id)) {
      throw new IllegalStateException("claimed " + lease.runId() + " instead of " + id);
    }
    return lease;
  }

  static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    store.close();
  }
}
