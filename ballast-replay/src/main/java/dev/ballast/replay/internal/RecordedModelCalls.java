package dev.ballast.replay.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.Json;
import dev.ballast.core.ProviderException;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.pipeline.NetworkForbiddenException;
import dev.ballast.pipeline.spi.ModelCalls;
import dev.ballast.replay.Divergence;
import dev.ballast.replay.spi.GatewayCalls;
import dev.ballast.replay.spi.GatewayCalls.CallOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The model calls of a replayed pipeline run. A replayed call finds its recording by call id
 * ({@code RUN/STAGE/ATTEMPT}) and goes through the gateway's real attempt loop with providers that
 * answer from it, comparing the request, the attempt sequence and the answer; a call with no
 * recording is refused ({@link NetworkForbiddenException}). A stage the what-if overrides goes live
 * instead, journaled under the new run's id.
 */
final class RecordedModelCalls implements ModelCalls {
  private final JournalStore store;
  private final GatewayCalls gateway;
  private final Findings findings;
  private final Predicate<String> live;

  RecordedModelCalls(
      JournalStore store, GatewayCalls gateway, Findings findings, Predicate<String> live) {
    this.store = store;
    this.gateway = gateway;
    this.findings = findings;
    this.live = live;
  }

  @Override
  public ChatResponse chat(Call call, ChatRequest request) {
    if (live.test(call.stage())) {
      // The stage names the what-if's own call id (PipelineReplay's observer):
      // newRun/stage/attempt.
      return answer(gateway.liveChat(call.tenant(), request, call.callId(), 0));
    }
    Recording rec = recorded(call, request.model());
    if (gateway == null) {
      findings.note("model calls were fed back without re-running the attempt loop");
      return fedBack(call, rec);
    }
    CallOutcome outcome = gateway.replayChat(call.tenant(), request, rec.attempts(), rec::blob);
    Divergence d = difference(call.stage(), call.callId(), rec, outcome);
    if (d != null) {
      findings.diverged(d);
    }
    return answer(outcome);
  }

  @Override
  public EmbeddingResponse embed(Call call, EmbeddingRequest request) {
    Recording rec = recorded(call, request.model());
    findings.note("embedding calls are fed back from the journal without the attempt loop");
    if (!(rec.terminal() instanceof JournalEvent.RunCompleted done)) {
      throw failure(rec);
    }
    try {
      return Json.mapper().readValue(capturedBytes(rec, done), EmbeddingResponse.class);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the recorded embedding of " + rec.runId() + " is unreadable", e);
    }
  }

  private Recording recorded(Call call, String group) {
    Recording rec = Recording.load(store, call.callId());
    if (rec == null) {
      throw new NetworkForbiddenException(
          group,
          "stage "
              + call.stage()
              + " called model group "
              + group
              + " as "
              + call.callId()
              + ", a call that is not in the recording; a replay does not go live");
    }
    return rec;
  }

  /**
   * What the gateway did now against what it journaled then: the request, then the attempt sequence
   * (deployment, outcome, decision), then the answer; the first difference, or null.
   */
  static Divergence difference(String stage, String callId, Recording rec, CallOutcome now) {
    JournalEvent.RunStarted started = rec.started();
    if (started != null
        && started.request() != null
        && !started.request().hash().equals(now.requestHash())) {
      return new Divergence(stage, callId, "request", started.request().hash(), now.requestHash());
    }
    List<ProviderAttempt> then = rec.attempts();
    List<ProviderAttempt> actual = now.attempts();
    for (int i = 0; i < Math.max(then.size(), actual.size()); i++) {
      String expected = i < then.size() ? attempt(then.get(i)) : "no attempt";
      String got = i < actual.size() ? attempt(actual.get(i)) : "no attempt";
      if (!expected.equals(got)) {
        return new Divergence(stage, callId, "attempts", expected, got);
      }
    }
    if (rec.terminal() instanceof JournalEvent.RunCompleted done) {
      String expected = done.response() == null ? null : done.response().hash();
      if (expected != null && !expected.equals(now.responseHash())) {
        return new Divergence(
            stage, callId, "output", expected, String.valueOf(now.responseHash()));
      }
      if (now.response() == null) {
        return new Divergence(stage, callId, "error", "answered", now.errorClass());
      }
    } else if (rec.terminal() instanceof JournalEvent.RunFailed f
        && !f.errorClass().equals(now.errorClass())) {
      return new Divergence(
          stage, callId, "error", f.errorClass(), String.valueOf(now.errorClass()));
    }
    return null;
  }

  /** One attempt as compared: {@code #N deployment outcome decision}. */
  static String attempt(ProviderAttempt a) {
    return "#" + a.attempt() + " " + a.deployment() + " " + a.outcome() + " " + a.decision();
  }

  private ChatResponse fedBack(Call call, Recording rec) {
    if (!(rec.terminal() instanceof JournalEvent.RunCompleted done)) {
      throw failure(rec);
    }
    try {
      return Json.mapper().readValue(capturedBytes(rec, done), ChatResponse.class);
    } catch (IOException e) {
      throw new UncheckedIOException("the recorded answer of " + rec.runId() + " is unreadable", e);
    }
  }

  private static byte[] capturedBytes(Recording rec, JournalEvent.RunCompleted done) {
    byte[] bytes = rec.bytes(done.response());
    if (bytes == null) {
      throw new NetworkForbiddenException(
          rec.runId(),
          "the answer of model call " + rec.runId() + " was not captured; it cannot be replayed");
    }
    return bytes;
  }

  private static ProviderException failure(Recording rec) {
    if (rec.terminal() instanceof JournalEvent.RunFailed f) {
      return new ProviderException(errorClass(f.errorClass()), "recorded: " + f.message());
    }
    return new ProviderException(
        ErrorClass.DEADLINE_EXCEEDED, "recorded call " + rec.runId() + " never ended");
  }

  static ChatResponse answer(CallOutcome outcome) {
    if (outcome.response() != null) {
      return outcome.response();
    }
    throw new ProviderException(
        errorClass(outcome.errorClass()), String.valueOf(outcome.message()));
  }

  static ErrorClass errorClass(String wire) {
    try {
      return ErrorClass.valueOf(wire.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      return ErrorClass.SERVER_ERROR;
    }
  }
}
