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
      case JournalEvent.RunStarted s ->
          String.format(
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
      case JournalEvent.ProviderAttempt a ->
          String.format(
              Locale.ROOT,
              "#%d %s (%s) -> %s%s in %.1f ms%s%s, cost $%.6f, then %s%s",
              a.attempt(),
              a.deployment(),
              a.upstreamModel(),
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
      case JournalEvent.RunCompleted c ->
          String.format(
              Locale.ROOT,
              "answered by %s (%s), finish %s, %.1f ms",
              c.deployment(),
              c.responseModel(),
              c.finishReason(),
              c.durationMs());
      case JournalEvent.RunFailed f ->
          String.format(
              Locale.ROOT,
              "%s (%d)%s: %s",
              f.errorClass(),
              f.httpStatus(),
              f.truncated() ? " TRUNCATED" : "",
              f.message());
    };
  }
}
