package dev.ballast.pipeline.internal;

import dev.ballast.core.config.WorkersConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.pipeline.ContentCapture;
import dev.ballast.pipeline.spi.ModelCalls;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** What every run execution of one engine shares. */
final class EngineCore {
  final String nodeId;
  final RunQueue queue;
  final JournalWriter journal;
  final Clock clock;
  final WorkersConfig workers;
  final Dependencies dependencies;
  final Heartbeats heartbeats;
  final ContentCapture capture;

  /** Null when the engine's stages call no model. */
  final ModelCalls modelCalls;

  final AtomicLong claimed = new AtomicLong();
  final AtomicLong stagesCompleted = new AtomicLong();
  final AtomicLong succeeded = new AtomicLong();
  final AtomicLong dead = new AtomicLong();
  final AtomicLong parked = new AtomicLong();

  EngineCore(
      String nodeId,
      RunQueue queue,
      JournalWriter journal,
      Clock clock,
      WorkersConfig workers,
      Dependencies dependencies,
      Heartbeats heartbeats,
      ContentCapture capture,
      ModelCalls modelCalls) {
    this.nodeId = nodeId;
    this.queue = queue;
    this.journal = journal;
    this.clock = clock;
    this.workers = workers;
    this.dependencies = dependencies;
    this.heartbeats = heartbeats;
    this.capture = capture;
    this.modelCalls = modelCalls;
  }
}
