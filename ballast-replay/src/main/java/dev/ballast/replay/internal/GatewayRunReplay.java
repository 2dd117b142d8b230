package dev.ballast.replay.internal;

import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.replay.Divergence;
import dev.ballast.replay.ReplayMode;
import dev.ballast.replay.ReplayOutcome;
import dev.ballast.replay.ReplayReport;
import dev.ballast.replay.spi.GatewayCalls;
import dev.ballast.replay.spi.GatewayCalls.CallOutcome;
import java.io.IOException;
import java.util.List;

/**
 * Replays one gateway chat call through the gateway's real attempt loop over the recorded attempts
 * (deterministic), or live with an overridden group (what-if, journaled as a new linked run).
 */
public final class GatewayRunReplay {
  private GatewayRunReplay() {}

  public static ReplayReport run(
      Recording rec, GatewayCalls gateway, String group, WhatIfJournal whatIf) {
    long t0 = System.nanoTime();
    ReplayMode mode = whatIf == null ? ReplayMode.DETERMINISTIC : ReplayMode.WHAT_IF;
    JournalEvent.RunStarted started = rec.started();
    if (!"chat".equals(started.operation())) {
      return ReplayReport.error(
          rec.runId(),
          "gateway",
          mode,
          "replay of " + started.operation() + " runs is not supported");
    }
    byte[] bytes = rec.bytes(started.request());
    if (bytes == null) {
      return new ReplayReport(
          rec.runId(),
          "gateway",
          mode,
          ReplayOutcome.UNVERIFIABLE,
          null,
          List.of(),
          rec.outputHash(),
          null,
          null,
          ms(t0),
          "capture is off for tenant "
              + started.tenant()
              + ": the request is not in the journal, so the call cannot be re-executed");
    }
    ChatRequest request;
    try {
      request = Json.mapper().readValue(bytes, ChatRequest.class);
    } catch (IOException e) {
      return ReplayReport.error(
          rec.runId(), "gateway", mode, "the recorded request is unreadable: " + e.getMessage());
    }
    CallOutcome outcome;
    if (whatIf == null) {
      outcome = gateway.replayChat(started.tenant(), request, rec.attempts(), rec::blob);
    } else {
      whatIf.append(
          new JournalEvent.ReplayOf(rec.runId(), "what_if", java.util.Map.of("group", group)));
      outcome =
          gateway.liveChat(
              started.tenant(), request.withModel(group), whatIf.runId(), whatIf.nextSeq());
    }
    Divergence d = RecordedModelCalls.difference(null, rec.runId(), rec, outcome);
    return new ReplayReport(
        rec.runId(),
        "gateway",
        mode,
        d == null ? ReplayOutcome.IDENTICAL : ReplayOutcome.DIVERGED,
        d,
        List.of(),
        rec.outputHash(),
        outcome.responseHash(),
        whatIf == null ? null : whatIf.runId(),
        ms(t0),
        note(rec, outcome, whatIf != null));
  }

  /**
   * Why a what-if's live call got no answer (a refusal such as {@code budget_exceeded} makes no
   * attempt, so the attempts alone cannot say), or that only decisions could be verified.
   */
  private static String note(Recording rec, CallOutcome outcome, boolean whatIf) {
    if (whatIf && outcome.errorClass() != null) {
      return "the live call failed with " + outcome.errorClass() + ": " + outcome.message();
    }
    return rec.outputHash() == null && outcome.errorClass() == null
        ? "the answer was not captured: only the decisions are verified"
        : null;
  }

  private static double ms(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }
}
