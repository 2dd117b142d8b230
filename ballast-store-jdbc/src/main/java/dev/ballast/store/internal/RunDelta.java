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
 * the others (fields set once, attempts summed, the start time the earliest seen, and the status
 * taken from the status event with the highest sequence number), so the row comes out the same
 * whatever order the events arrive in.
 *
 * <p>Status events are {@code RunCompleted}, {@code RunFailed}, {@code RunDead} and {@code
 * RunResumed}. A pipeline run can end more than once: it goes dead, an operator resumes it (the
 * resume sits at the last sequence number of the dead lease's block), and a later lease ends it
 * again. The one with the highest sequence number decides status, end time and error class, here
 * within a batch and in the upsert against the row ({@code status_seq}).
 */
final class RunDelta {
  /** The tenant Watch's own runs (alerts) belong to; no virtual key names it. */
  static final String WATCH_TENANT = "ballast";

  final String runId;
  String tenant;
  String keyId;
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

  /** The sequence number of the status event applied; -1 when the batch has none. */
  int statusSeq = -1;

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
      case RunCompleted completed -> {
        if (laterStatus(entry)) {
          completed(entry.at(), completed);
        }
      }
      case RunFailed failed -> {
        if (laterStatus(entry)) {
          failed(entry.at(), failed);
        }
      }
      case RunDead dead -> {
        if (laterStatus(entry)) {
          dead(entry.at(), dead);
        }
      }
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
      case JournalEvent.CanaryChecked ignored -> {}
      case JournalEvent.AlertChanged alert -> alert(entry, alert);
      case JournalEvent.RunResumed ignored -> {
        if (laterStatus(entry)) {
          // Running again: no longer ended, and the error that killed it is history.
          status = RunStatus.RUNNING;
          endedAt = null;
          errorClass = null;
        }
      }
    }
  }

  /**
   * An alert's journal is a run of kind {@code watch} of the reserved tenant {@code ballast}, with
   * no {@code RunStarted}: every transition names the run and ends it, so the run reads as
   * succeeded, ended at its latest transition. Whether the alert is open is the alert's own state
   * (its row in {@code watch_alerts}); a run never stays {@code running} for it.
   */
  private void alert(JournalEntry entry, JournalEvent.AlertChanged alert) {
    tenant = WATCH_TENANT;
    kind = "watch";
    operation = "alert";
    model = alert.series() + " " + alert.signal();
    if (laterStatus(entry)) {
      status = RunStatus.SUCCEEDED;
      endedAt = entry.at();
    }
  }

  /** Whether {@code entry} is later than the status event applied so far; if so, it is now. */
  private boolean laterStatus(JournalEntry entry) {
    if (entry.seq() <= statusSeq) {
      return false;
    }
    statusSeq = entry.seq();
    return true;
  }

  private void started(RunStarted started) {
    tenant = started.tenant();
    keyId = started.keyId();
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
