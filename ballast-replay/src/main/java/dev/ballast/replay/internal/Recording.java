package dev.ballast.replay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.EffectRecorded;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.journal.JournalEvent.StageCompleted;
import dev.ballast.core.journal.JournalEvent.StageFailed;
import dev.ballast.core.journal.JournalEvent.StageStarted;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.spi.JournalStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run's journal indexed for replay: the start, the final attempt of each stage with its output
 * or failure, the effects, the provider attempts and the end. Payload content is read from the
 * store's blobs on demand.
 */
public final class Recording {
  private final JournalStore store;
  private final String runId;
  private final List<JournalEntry> entries;
  private RunStarted started;
  private JournalEvent terminal;
  private final TreeMap<Integer, String> stageNames = new TreeMap<>();
  private final Map<String, StageCompleted> completed = new HashMap<>();
  private final Map<String, StageFailed> failed = new HashMap<>();
  private final Map<String, StageStarted> lastStart = new HashMap<>();
  private final Map<String, Boolean> effects = new HashMap<>();
  private final List<ProviderAttempt> attempts = new ArrayList<>();

  private Recording(JournalStore store, String runId, List<JournalEntry> entries) {
    this.store = store;
    this.runId = runId;
    this.entries = entries;
    entries.forEach(e -> index(e.event()));
  }

  /** The run's recording, or null when the journal has no events for it. */
  public static Recording load(JournalStore store, String runId) {
    List<JournalEntry> entries = store.events(runId);
    return entries.isEmpty() ? null : new Recording(store, runId, entries);
  }

  private void index(JournalEvent event) {
    switch (event) {
      case RunStarted s -> started = s;
      case StageStarted s -> {
        stageNames.put(s.index(), s.stage());
        // Events come in sequence order, so the last start is the final execution: after a resume
        // the attempt number starts again at 1, lower than the ones before.
        lastStart.put(s.stage(), s);
      }
      case StageCompleted c -> {
        completed.put(c.stage(), c);
        failed.remove(c.stage());
      }
      case StageFailed f -> {
        // A parked or lost attempt was not the stage's result; a later attempt decides it.
        if (!"parked".equals(f.next()) && !"lost".equals(f.next())) {
          failed.put(f.stage(), f);
        }
      }
      case EffectRecorded e -> effects.putIfAbsent(e.effectKey(), e.firstRecord());
      case ProviderAttempt a -> attempts.add(a);
      case JournalEvent.RunCompleted c -> terminal = c;
      case JournalEvent.RunFailed f -> terminal = f;
      case JournalEvent.RunDead d -> terminal = d;
      default -> {
        // Breaker transitions, retrievals and the like explain the run; replay recomputes them.
      }
    }
  }

  public JournalStore store() {
    return store;
  }

  public String runId() {
    return runId;
  }

  public List<JournalEntry> entries() {
    return entries;
  }

  /** Null when the journal lost the run's start (never for a run written by Ballast). */
  public RunStarted started() {
    return started;
  }

  /** {@code RunCompleted}, {@code RunFailed}, {@code RunDead}, or null for a run still going. */
  public JournalEvent terminal() {
    return terminal;
  }

  /** The stage name recorded at an index, or null. */
  public String stageAt(int index) {
    return stageNames.get(index);
  }

  public StageCompleted completed(String stage) {
    return completed.get(stage);
  }

  /** The stage's final failure when it never completed, or null. */
  public StageFailed failed(String stage) {
    return completed.containsKey(stage) ? null : failed.get(stage);
  }

  /** The attempt number of the stage's final attempt, 1 when it never started. */
  public int finalAttempt(String stage) {
    StageStarted last = lastStart.get(stage);
    return last == null ? 1 : last.attempt();
  }

  /**
   * The id a model call of the stage's final attempt was journaled under ({@code
   * StageContext.callId}: {@code run/stage/attempt@fence}), or null when the stage never started.
   */
  public String finalCallId(String stage) {
    StageStarted last = lastStart.get(stage);
    return last == null
        ? null
        : dev.ballast.core.pipeline.StageContext.callId(runId, stage, last.attempt(), last.fence());
  }

  /** Whether the effect's ledger record was its first (true when the journal does not say). */
  public boolean firstRecord(String key) {
    return effects.getOrDefault(key, true);
  }

  public List<ProviderAttempt> attempts() {
    return attempts;
  }

  /** A payload's content, or null when the payload or its blob is absent. */
  public byte[] bytes(Payload payload) {
    if (payload == null) {
      return null;
    }
    return payload.bytes() != null ? payload.bytes() : store.blob(payload.hash()).orElse(null);
  }

  /** A blob's content by hash, or null. */
  public byte[] blob(String hash) {
    return store.blob(hash).orElse(null);
  }

  /** A payload's content as JSON, or null. */
  public JsonNode json(Payload payload) {
    byte[] bytes = bytes(payload);
    if (bytes == null) {
      return null;
    }
    try {
      return Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("a journal payload of run " + runId + " is not JSON", e);
    }
  }

  /** The hash of the run's recorded output ({@code RunCompleted.response}), or null. */
  public String outputHash() {
    return terminal instanceof JournalEvent.RunCompleted c && c.response() != null
        ? c.response().hash()
        : null;
  }
}
