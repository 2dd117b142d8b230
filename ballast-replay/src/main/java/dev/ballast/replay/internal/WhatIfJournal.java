package dev.ballast.replay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.model.Usage;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.pipeline.ReplayExecution;
import java.time.Clock;
import java.util.Map;

/**
 * Journals a what-if replay as a new pipeline run: {@code ReplayOf} first (linking it to the
 * original), then the events a real run writes, so that {@code ballast runs show} and a diff read
 * it like any run. Its live model calls are journaled by the gateway under {@code NEWRUN/STAGE/N}.
 * Not thread-safe: one replay writes it.
 */
public final class WhatIfJournal {
  private final JournalWriter writer;
  private final Clock clock;
  private final String runId;
  private final String originalRunId;
  private final Map<String, String> overrides;
  private final long t0 = System.nanoTime();
  private int seq;
  private boolean ok = true;

  public WhatIfJournal(
      JournalWriter writer,
      Clock clock,
      String runId,
      String originalRunId,
      Map<String, String> overrides) {
    this.writer = writer;
    this.clock = clock;
    this.runId = runId;
    this.originalRunId = originalRunId;
    this.overrides = overrides;
  }

  public String runId() {
    return runId;
  }

  void started(Recording rec, PipelineDefinition definition, JsonNode input) {
    JournalEvent.RunStarted s = rec.started();
    append(new JournalEvent.ReplayOf(originalRunId, "what_if", overrides));
    append(
        new JournalEvent.RunStarted(
            "pipeline",
            definition.name(),
            s.api(),
            s.tenant(),
            s.model(),
            false,
            Pins.pipeline(
                s.pins() == null ? null : s.pins().configVersion(),
                definition.version(),
                s.pins() == null ? null : s.pins().state()),
            Payload.of(ReplayExecution.bytes(input))));
  }

  void stage(int index, StageDefinition stage, JsonNode output, double ms) {
    append(new JournalEvent.StageStarted(stage.name(), index, 1, "replay", 0, 0));
    append(
        new JournalEvent.StageCompleted(
            stage.name(), index, 1, ms, Payload.of(ReplayExecution.bytes(output))));
  }

  void stageFailed(int index, StageDefinition stage, String errorClass, String message, double ms) {
    ok = false;
    append(new JournalEvent.StageStarted(stage.name(), index, 1, "replay", 0, 0));
    append(
        new JournalEvent.StageFailed(
            stage.name(), index, 1, errorClass, message, "failed", null, null, ms));
    append(new JournalEvent.RunFailed(errorClass, 0, message, false, elapsedMs()));
  }

  void ended(JsonNode output) {
    if (output != null && ok) {
      append(
          new JournalEvent.RunCompleted(
              null,
              null,
              null,
              Usage.ZERO,
              0,
              elapsedMs(),
              Payload.of(ReplayExecution.bytes(output))));
    } else if (ok) {
      append(
          new JournalEvent.RunFailed(
              "replay_error", 0, "the replay stopped: see its report", false, elapsedMs()));
    }
  }

  /** Also a gateway what-if's first event, before the gateway journals the call itself. */
  void append(JournalEvent event) {
    writer.submit(new JournalEntry(runId, seq++, clock.instant(), event));
  }

  int nextSeq() {
    return seq;
  }

  private double elapsedMs() {
    return (System.nanoTime() - t0) / 1e6;
  }
}
