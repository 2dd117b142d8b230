package dev.ballast.replay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.StageCompleted;
import dev.ballast.core.journal.JournalEvent.StageFailed;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.pipeline.NetworkForbiddenException;
import dev.ballast.pipeline.ReplayExecution;
import dev.ballast.pipeline.StateServices;
import dev.ballast.replay.Divergence;
import dev.ballast.replay.ReplayMode;
import dev.ballast.replay.ReplayOutcome;
import dev.ballast.replay.ReplayReport;
import dev.ballast.replay.ReplayReport.StageResult;
import dev.ballast.replay.spi.GatewayCalls;
import dev.ballast.replay.trace.RunTraces;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Replays one pipeline run: the current definition's real handlers over the recorded input, with
 * model calls, webhooks and state results fed from the journal (or, for what-if stages, live),
 * comparing every stage's output hash with the journal's and reporting the first divergence.
 */
public final class PipelineReplay {
  /** Stage types whose result is entirely external state: fed back whole from the journal. */
  private static final Set<String> RECORDED_WHOLE = Set.of("retrieve", "memory_update");

  private final Recording rec;
  private final Pipeline pipeline;
  private final GatewayCalls gateway;
  private final StateServices state;
  private final Clock clock;
  private final Findings findings = new Findings();
  private final List<StageResult> stages = new ArrayList<>();
  private WhatIfJournal whatIf;
  private IntPredicate live = index -> false;

  /**
   * @param state what state stages read ({@link ReplayState}), or null when the pipeline has none
   */
  public PipelineReplay(
      Recording rec, Pipeline pipeline, GatewayCalls gateway, StateServices state, Clock clock) {
    this.state = state;
    this.rec = rec;
    this.pipeline = pipeline;
    this.gateway = gateway;
    this.clock = clock;
  }

  /**
   * @param live which stage indexes go live (a what-if); none for a deterministic replay
   * @param whatIf where the new run is journaled, or null for a deterministic replay
   */
  public ReplayReport run(IntPredicate live, WhatIfJournal whatIf, ReplayMode mode) {
    this.whatIf = whatIf;
    this.live = live;
    long t0 = System.nanoTime();
    JournalEvent.RunStarted started = rec.started();
    JsonNode input = started == null ? null : rec.json(started.request());
    if (input == null) {
      return report(
          mode,
          ReplayOutcome.UNVERIFIABLE,
          null,
          t0,
          "capture is off for tenant "
              + (started == null ? "?" : started.tenant())
              + ": the run's input is not in the journal, so it cannot be re-executed and its"
              + " outputs cannot be verified");
    }
    if (started.pins() != null
        && started.pins().pipelineVersion() != null
        && !started.pins().pipelineVersion().equals(pipeline.definition().version())) {
      findings.note(
          "pipeline "
              + pipeline.definition().name()
              + " is at version "
              + pipeline.definition().version()
              + ", the run was recorded under "
              + started.pins().pipelineVersion());
    }
    String newRunId = whatIf == null ? null : whatIf.runId();
    ReplayExecution execution =
        new ReplayExecution(
            pipeline,
            new ReplayExecution.Sources(
                new RecordedModelCalls(
                    rec.store(),
                    gateway,
                    findings,
                    stage -> live.test(pipeline.definition().indexOf(stage))),
                new RecordedHttpClient(rec),
                state,
                clock));
    if (whatIf != null) {
      whatIf.started(rec, pipeline.definition(), input);
    }
    JsonNode output;
    try {
      output =
          execution.run(rec.runId(), started.tenant(), input, started.pins().state(), observer());
    } catch (NetworkForbiddenException e) {
      findings.diverged(new Divergence(current(), null, "external_call", "none", e.getMessage()));
      output = null;
    }
    String hash =
        output == null
            ? null
            : dev.ballast.core.journal.Payload.sha256(ReplayExecution.bytes(output));
    if (output != null
        && rec.outputHash() != null
        && !same(rec.outputHash(), recordedOutput(), hash, output)) {
      findings.diverged(new Divergence(null, null, "output", rec.outputHash(), hash));
    }
    if (whatIf != null) {
      whatIf.ended(output);
    }
    ReplayOutcome outcome =
        findings.first() != null
            ? ReplayOutcome.DIVERGED
            : findings.unverifiable ? ReplayOutcome.UNVERIFIABLE : ReplayOutcome.IDENTICAL;
    return new ReplayReport(
        rec.runId(),
        "pipeline",
        mode,
        outcome,
        findings.first(),
        stages,
        rec.outputHash(),
        hash,
        newRunId,
        (System.nanoTime() - t0) / 1e6,
        findings.notes());
  }

  /**
   * Whether an output is the recorded one: the same bytes, or in a what-if (a run of its own, whose
   * live calls are journaled under its id) the same digest without the fields that name the run.
   */
  private boolean same(String recordedHash, Payload recorded, String hash, JsonNode output) {
    if (recordedHash.equals(hash)) {
      return true;
    }
    return whatIf != null
        && java.util.Objects.equals(RunTraces.digest(rec.json(recorded)), RunTraces.digest(output));
  }

  private Payload recordedOutput() {
    return rec.terminal() instanceof JournalEvent.RunCompleted c ? c.response() : null;
  }

  private String current() {
    int next = stages.size();
    return next < pipeline.definition().stages().size()
        ? pipeline.definition().stage(next).name()
        : null;
  }

  private ReplayReport report(
      ReplayMode mode, ReplayOutcome outcome, String hash, long t0, String note) {
    return new ReplayReport(
        rec.runId(),
        "pipeline",
        mode,
        outcome,
        null,
        stages,
        rec.outputHash(),
        hash,
        null,
        (System.nanoTime() - t0) / 1e6,
        note);
  }

  private ReplayExecution.Observer observer() {
    return new ReplayExecution.Observer() {
      @Override
      public JsonNode substitute(int index, StageDefinition stage) {
        if (!RECORDED_WHOLE.contains(stage.type())) {
          return null;
        }
        StageCompleted done = rec.completed(stage.name());
        JsonNode out = done == null ? null : rec.json(done.output());
        if (out == null) {
          throw new NetworkForbiddenException(
              stage.name(),
              "stage "
                  + stage.name()
                  + " ("
                  + stage.type()
                  + ") reads external state whose recorded result is not in the journal");
        }
        return out;
      }

      @Override
      public int attempt(int index, StageDefinition stage) {
        return rec.finalAttempt(stage.name());
      }

      @Override
      public String callId(int index, StageDefinition stage) {
        if (whatIf != null && live.test(index) && "generate".equals(stage.type())) {
          // A what-if's live call is journaled under the new run, and its output names it there,
          // so the new run's trace and a diff against the original show the call it really made.
          // Only chat calls go live; embeddings are fed back (RecordedModelCalls).
          return whatIf.runId() + "/" + stage.name() + "/" + rec.finalAttempt(stage.name());
        }
        StageCompleted done = rec.completed(stage.name());
        if (done != null) {
          JsonNode out = rec.json(done.output());
          JsonNode id = out == null ? null : out.get("call_run_id");
          return id == null || !id.isTextual() ? null : id.asText();
        }
        // A stage that failed names no call: its final attempt's lease does, unless the journal
        // predates call ids that name their lease (then the conventional id, null here, is it).
        String id = rec.finalCallId(stage.name());
        return id != null && !rec.store().events(id).isEmpty() ? id : null;
      }

      @Override
      public boolean firstRecord(String stage, String key) {
        return rec.firstRecord(key);
      }

      @Override
      public void recorded(StageDefinition stage, JournalEvent event) {
        if (whatIf != null) {
          whatIf.append(event);
        }
      }

      @Override
      public void completed(
          int index, StageDefinition stage, JsonNode output, String hash, double ms) {
        String source = RECORDED_WHOLE.contains(stage.type()) ? "recorded" : "replayed";
        StageCompleted then = rec.completed(stage.name());
        String expected = then == null || then.output() == null ? null : then.output().hash();
        checkName(index, stage);
        stages.add(new StageResult(stage.name(), expected, hash, null, source));
        if (then == null) {
          StageFailed f = rec.failed(stage.name());
          findings.diverged(
              new Divergence(
                  stage.name(),
                  null,
                  "stage_output",
                  f == null ? "stage not executed" : "failed: " + f.errorClass(),
                  hash));
        } else if (expected == null) {
          findings.unverifiable = true;
          findings.note("stage outputs were not captured: they cannot be verified");
        } else if (!same(expected, then.output(), hash, output)) {
          findings.diverged(new Divergence(stage.name(), null, "stage_output", expected, hash));
        }
        if (whatIf != null) {
          whatIf.stage(index, stage, output, ms);
        }
      }

      @Override
      public void failed(
          int index, StageDefinition stage, String errorClass, String message, double ms) {
        StageCompleted then = rec.completed(stage.name());
        StageFailed f = rec.failed(stage.name());
        checkName(index, stage);
        stages.add(
            new StageResult(
                stage.name(),
                then == null || then.output() == null ? null : then.output().hash(),
                null,
                errorClass,
                "replayed"));
        if (f == null || !f.errorClass().equals(errorClass)) {
          findings.diverged(
              new Divergence(
                  stage.name(),
                  null,
                  "error",
                  f == null ? "completed" : "failed: " + f.errorClass(),
                  "failed: " + errorClass + ": " + message));
        }
        if (whatIf != null) {
          whatIf.stageFailed(index, stage, errorClass, message, ms);
        }
      }

      private void checkName(int index, StageDefinition stage) {
        String then = rec.stageAt(index);
        if (then != null && !then.equals(stage.name())) {
          findings.diverged(new Divergence(stage.name(), null, "stages", then, stage.name()));
        }
      }
    };
  }
}
