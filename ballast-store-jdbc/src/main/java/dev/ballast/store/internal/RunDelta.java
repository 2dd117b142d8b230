package dev.ballast.store.internal;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.BreakerTransition;
import dev.ballast.core.journal.JournalEvent.EffectRecorded;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.JournalEvent.RunDead;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.journal.JournalEvent.StageCompleted;
import dev.ballast.core.journal.JournalEvent.StageFailed;
import dev.ballast.core.journal.JournalEvent.StageStarted;
import dev.ballast.core.journal.RunStatus;
import dev.ballast.core.model.Usage;
import java.time.Instant;

/**
 * What one batch's newly inserted events change in a run's summary row. Every change commutes with
 * the others (fields set once, attempts summed, the start time the earliest seen), so the row comes
 * out the same whatever order the events arrive in.
 */
final class RunDelta {
  final String runId;
  String tenant;
  String kind;
  String operation;
  String model;
  RunStatus status = RunStatus.RUNNING;
  Instant startedAt;
  Instant endedAt;
  String deployment;
  String responseModel;
  String errorClass;
  int inputTokens;
  int outputTokens;
  double cost;
  int attempts;

  RunDelta(String runId) {
    this.runId = runId;
  }

  void apply(JournalEntry entry) {
    if (startedAt == null || entry.at().isBefore(startedAt)) {
      // Until RunStarted arrives, the earliest event seen stands in for the start time.
      startedAt = entry.at();
    }
    switch (entry.event()) {
      case RunStarted started -> started(started);
      case ProviderAttempt ignored -> attempts++;
      case RunCompleted completed -> completed(entry.at(), completed);
      case RunFailed failed -> failed(entry.at(), failed);
      case RunDead dead -> dead(entry.at(), dead);
      case BreakerTransition ignored -> {
        // Explains the run; changes nothing in its summary.
      }
      case StageStarted ignored -> {
        // Stage events explain a pipeline run; its summary is its start and its end.
      }
      case StageCompleted ignored -> {}
      case StageFailed ignored -> {}
      case EffectRecorded ignored -> {}
      case JournalEvent.Retrieval ignored -> {}
      case JournalEvent.MemoryRead ignored -> {}
      case JournalEvent.MemoryMutated ignored -> {}
      case JournalEvent.ContextAssembled ignored -> {}
      case JournalEvent.ReplayOf ignored -> {}
      case JournalEvent.RunResumed ignored -> {
        // The run queue holds a resumed run's state; its summary changes when it ends again.
      }
    }
  }

  private void started(RunStarted started) {
    tenant = started.tenant();
    kind = started.kind();
    operation = started.operation();
    model = started.model();
  }

  private void completed(Instant at, RunCompleted completed) {
    status = RunStatus.SUCCEEDED;
    endedAt = at;
    deployment = completed.deployment();
    responseModel = completed.responseModel();
    Usage usage = completed.usage() == null ? Usage.ZERO : completed.usage();
    inputTokens = usage.inputTokens();
    outputTokens = usage.outputTokens();
    cost = completed.cost();
  }

  private void dead(Instant at, RunDead dead) {
    status = RunStatus.DEAD;
    endedAt = at;
    errorClass = dead.errorClass();
  }

  private void failed(Instant at, RunFailed failed) {
    status = RunStatus.FAILED;
    endedAt = at;
    errorClass = failed.errorClass();
  }
}
