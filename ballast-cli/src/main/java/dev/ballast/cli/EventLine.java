package dev.ballast.cli;

import dev.ballast.core.journal.JournalEvent;
import java.util.Locale;

/** One readable line per journal event for terminals. */
final class EventLine {
  private EventLine() {}

  static String of(JournalEvent event) {
    return switch (event) {
      case JournalEvent.BreakerTransition b ->
          "breaker of " + b.deployment() + ": " + b.from() + " -> " + b.to();
      case JournalEvent.RunStarted s -> started(s);
      case JournalEvent.ProviderAttempt a -> attempt(a);
      case JournalEvent.RunCompleted c -> completed(c);
      case JournalEvent.RunFailed f ->
          String.format(
              Locale.ROOT,
              "%s%s%s: %s",
              f.errorClass(),
              // Pipeline runs fail without an HTTP status.
              f.httpStatus() > 0 ? " (" + f.httpStatus() + ")" : "",
              f.truncated() ? " TRUNCATED" : "",
              f.message());
      case JournalEvent.StageStarted s ->
          String.format(
              Locale.ROOT,
              "%s, attempt %d, on %s (fence %d)%s",
              stage(s.index(), s.stage()),
              s.attempt(),
              s.worker(),
              s.fence(),
              s.queueWaitMs() > 0
                  ? String.format(Locale.ROOT, ", %.1f ms in the queue", s.queueWaitMs())
                  : "");
      case JournalEvent.StageCompleted c ->
          String.format(
              Locale.ROOT,
              "%s, attempt %d, completed in %.1f ms",
              stage(c.index(), c.stage()),
              c.attempt(),
              c.durationMs());
      case JournalEvent.StageFailed f ->
          String.format(
              Locale.ROOT,
              "%s, attempt %d: %s: %s (%.1f ms) -> %s",
              stage(f.index(), f.stage()),
              f.attempt(),
              f.errorClass(),
              f.message(),
              f.durationMs(),
              next(f));
      case JournalEvent.EffectRecorded e ->
          String.format(
              Locale.ROOT,
              "effect %s of %s to %s%s",
              e.effectKey(),
              e.stage(),
              e.target(),
              e.firstRecord() ? "" : " (recorded before: sent again with the same key)");
      case JournalEvent.RunResumed r ->
          String.format(Locale.ROOT, "resumed at stage %d %s", r.stageIndex(), r.stage());
      case JournalEvent.RunDead d ->
          String.format(
              Locale.ROOT,
              "dead at %s: %s: %s, after %.1f ms",
              d.stage(),
              d.errorClass(),
              d.message(),
              d.durationMs());
      case JournalEvent.Retrieval r ->
          String.format(
              Locale.ROOT,
              "%s retrieved %d chunks from %s at generation %d (%s, index at %d) in %.1f ms",
              r.stage(),
              r.results().size(),
              r.collection(),
              r.generation(),
              r.mode(),
              r.indexGeneration(),
              r.durationMs());
      case JournalEvent.MemoryRead m ->
          String.format(
              Locale.ROOT,
              "%s read memory of %s at version %d",
              m.stage(),
              m.conversation(),
              m.version());
      case JournalEvent.MemoryMutated m ->
          String.format(
              Locale.ROOT,
              "%s wrote memory of %s: %s, version %d -> %d%s",
              m.stage(),
              m.conversation(),
              String.join(", ", m.operations()),
              m.versionBefore(),
              m.versionAfter(),
              m.applied()
                  ? ""
                  : " (written before under " + m.effectKey() + ": not applied again)");
      case JournalEvent.ContextAssembled c ->
          String.format(
              Locale.ROOT,
              "%s packed %d items into %d of %d tokens (%s%s), %d cut%s",
              c.stage(),
              c.included().size(),
              c.used(),
              c.budget(),
              c.tokenizer(),
              c.approximate() ? ", approximate" : "",
              c.cut().size(),
              c.routedTo() == null ? "" : ", routed to " + c.routedTo());
      case JournalEvent.ReplayOf r ->
          r.mode()
              + " replay of "
              + r.originalRunId()
              + (r.overrides().isEmpty() ? "" : " " + r.overrides());
      case JournalEvent.CanaryChecked c ->
          "canary "
              + c.canary()
              + (c.passed() ? " passed" : " failed")
              + (c.similarity() == null
                  ? ""
                  : String.format(Locale.ROOT, " (similarity %.3f)", c.similarity()))
              + c.failures().stream()
                  .map(f -> "; " + f.rule() + ": " + f.reason())
                  .reduce("", String::concat);
      case JournalEvent.AlertChanged a ->
          String.format(
              Locale.ROOT,
              "alert %s (%s, %s): %s%s",
              a.transition(),
              a.kind(),
              a.severity(),
              a.title(),
              a.firstBadRun() == null
                  ? ""
                  : "; last good " + a.lastGoodRun() + ", first bad " + a.firstBadRun());
    };
  }

  /** Where a failed stage sent its run, as {@link JournalEvent.StageFailed#next()} names it. */
  static String next(JournalEvent.StageFailed f) {
    return switch (f.next()) {
      case "waiting" -> "retry" + (f.retryAt() == null ? "" : " at " + f.retryAt());
      case "parked" ->
          "parked on " + f.dependency() + (f.retryAt() == null ? "" : " until " + f.retryAt());
      case "lost" -> "lease lost; another worker owns the run";
      default -> f.next();
    };
  }

  private static String stage(int index, String name) {
    return "stage " + index + " " + name;
  }

  private static String started(JournalEvent.RunStarted s) {
    if ("pipeline".equals(s.kind())) {
      return String.format(
          Locale.ROOT,
          "pipeline %s@%s, tenant %s, config %s",
          s.operation(),
          s.pins().pipelineVersion(),
          s.tenant(),
          s.pins().configVersion());
    }
    return String.format(
        Locale.ROOT,
        "%s %s via %s, tenant %s, model %s%s, route %s, config %s",
        s.kind(),
        s.operation(),
        s.api(),
        s.tenant(),
        s.model(),
        s.stream() ? " (stream)" : "",
        s.pins().route(),
        s.pins().configVersion());
  }

  private static String attempt(JournalEvent.ProviderAttempt a) {
    return String.format(
        Locale.ROOT,
        "#%d %s (%s)%s -> %s%s in %.1f ms%s%s, cost $%.6f, then %s%s",
        a.attempt(),
        a.deployment(),
        a.upstreamModel(),
        continuation(a.continuation()),
        a.outcome(),
        a.httpStatus() > 0 && a.httpStatus() != 200 ? " " + a.httpStatus() : "",
        a.latencyMs(),
        a.ttftMs() == null ? "" : String.format(Locale.ROOT, ", ttft %.1f ms", a.ttftMs()),
        a.usage() == null
            ? ""
            : ", tokens "
                + a.usage().inputTokens()
                + "/"
                + a.usage().outputTokens()
                + (a.usage().estimated() ? " (estimated)" : ""),
        a.cost(),
        a.decision(),
        a.repairs().isEmpty() ? "" : ", repairs " + a.repairs());
  }

  /** Where an attempt took over a stream: {@code continuing after 57 chars (prefill)}. */
  private static String continuation(JournalEvent.ProviderAttempt.Continuation c) {
    if (c == null) {
      return "";
    }
    return " continuing after "
        + c.deliveredChars()
        + " chars ("
        + c.form()
        + (c.overlapChars() > 0 ? ", " + c.overlapChars() + " repeated chars dropped" : "")
        + ")";
  }

  private static String completed(JournalEvent.RunCompleted c) {
    if (c.deployment() == null) {
      // A pipeline run completes without a deployment: its stages made the calls.
      return String.format(Locale.ROOT, "completed in %.1f ms", c.durationMs());
    }
    return String.format(
        Locale.ROOT,
        "answered by %s (%s), finish %s, %.1f ms",
        c.deployment(),
        c.responseModel(),
        c.finishReason(),
        c.durationMs());
  }
}
