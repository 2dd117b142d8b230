package dev.ballast.telemetry.internal;

import static dev.ballast.telemetry.internal.SpanDraft.millisToNanos;
import static dev.ballast.telemetry.internal.SpanDraft.nanos;

import dev.ballast.core.journal.Decision;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent.BreakerTransition;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.model.Usage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The spans of a gateway run: one for the run ({@code chat {model group}}) and one client span per
 * provider attempt ({@code chat {upstream model}}), following the GenAI inference-span conventions.
 */
final class GatewaySpans {
  private final SpanOrigin origin;
  private final RunSegment segment;
  private final Lineage lineage;
  private final RunStarted header;
  private final String operation;

  private GatewaySpans(SpanOrigin origin, RunSegment segment, Lineage lineage) {
    this.origin = origin;
    this.segment = segment;
    this.lineage = lineage;
    this.header = segment.header();
    this.operation = header.operation() == null ? SemconvKeys.OPERATION_CHAT : header.operation();
  }

  static List<SpanData> derive(SpanOrigin origin, RunSegment segment, Lineage lineage) {
    return new GatewaySpans(origin, segment, lineage).derive();
  }

  private List<SpanData> derive() {
    String runId = segment.runId();
    SpanDraft run =
        new SpanDraft(
            name(operation, header.model()),
            // A pipeline's model call runs in this process; a client's call arrived over HTTP.
            NestedCall.parse(runId) == null ? SpanKind.SERVER : SpanKind.INTERNAL,
            SpanIds.sampled(lineage.traceId(), SpanIds.runSpanId(runId, segment.firstSeq())),
            lineage.parent());
    long start = nanos(segment.started().at());
    JournalEntry last = segment.last();
    run.times(start, end(start, last));
    describeRun(run);
    List<SpanData> spans = new ArrayList<>();
    double cost = 0;
    int attempts = 0;
    ProviderAttempt answering = null;
    ProviderAttempt lastAttempt = null;
    for (JournalEntry entry : segment.entries()) {
      switch (entry.event()) {
        case ProviderAttempt attempt -> {
          spans.add(attemptSpan(entry, attempt, run));
          cost += attempt.cost();
          attempts++;
          lastAttempt = attempt;
          if (attempt.decided(Decision.ANSWERED)) {
            answering = attempt;
          }
        }
        case BreakerTransition t ->
            run.event(
                BallastKeys.EVENT_BREAKER_TRANSITION,
                entry.at(),
                Attributes.of(
                    BallastKeys.DEPLOYMENT, t.deployment(),
                    BallastKeys.BREAKER_FROM, t.from(),
                    BallastKeys.BREAKER_TO, t.to()));
        default -> {}
      }
    }
    run.put(BallastKeys.COST_USD, cost).putLong(BallastKeys.RUN_ATTEMPTS, attempts);
    ProviderAttempt named = answering != null ? answering : lastAttempt;
    if (named != null) {
      run.putText(SemconvKeys.PROVIDER_NAME, origin.providers().system(named.provider()));
    }
    outcome(run, last);
    spans.addFirst(run.build(origin));
    return spans;
  }

  private long end(long start, JournalEntry last) {
    double durationMs =
        switch (last.event()) {
          case RunCompleted c -> c.durationMs();
          case RunFailed f -> f.durationMs();
          default -> 0;
        };
    // The duration is measured on a monotonic clock; the entry's time only has the wall clock's
    // resolution.
    return durationMs > 0 ? start + millisToNanos(durationMs) : nanos(last.at());
  }

  private void describeRun(SpanDraft run) {
    Pins pins = header.pins();
    run.put(SemconvKeys.OPERATION_NAME, operation)
        .putText(SemconvKeys.REQUEST_MODEL, header.model())
        .put(SemconvKeys.REQUEST_STREAM, header.stream())
        .put(BallastKeys.RUN_ID, segment.runId())
        .putText(BallastKeys.RUN_KIND, header.kind())
        .putText(BallastKeys.TENANT, header.tenant())
        .putText(BallastKeys.API, header.api())
        .put(BallastKeys.CONTENT_INPUT, origin.content(header.request()));
    if (pins != null) {
      run.putText(BallastKeys.CONFIG_VERSION, pins.configVersion())
          .putText(BallastKeys.ROUTE_GROUP, pins.group());
      if (!pins.route().isEmpty()) {
        run.put(BallastKeys.ROUTE, pins.route());
      }
    }
  }

  private void outcome(SpanDraft run, JournalEntry last) {
    switch (last.event()) {
      case RunCompleted c -> {
        run.put(BallastKeys.RUN_STATUS, "succeeded")
            .putText(BallastKeys.DEPLOYMENT, c.deployment())
            .putText(SemconvKeys.RESPONSE_MODEL, c.responseModel())
            .put(BallastKeys.CONTENT_OUTPUT, origin.content(c.response()));
        if (c.finishReason() != null) {
          run.put(SemconvKeys.RESPONSE_FINISH_REASONS, List.of(c.finishReason()));
        }
        usage(run, c.usage());
      }
      case RunFailed f ->
          run.put(BallastKeys.RUN_STATUS, "failed")
              .putText(SemconvKeys.ERROR_TYPE, f.errorClass())
              .put(BallastKeys.RUN_TRUNCATED, f.truncated() ? Boolean.TRUE : null)
              .put(
                  SemconvKeys.HTTP_RESPONSE_STATUS_CODE,
                  f.httpStatus() > 0 ? (long) f.httpStatus() : null)
              .error(f.message());
      default -> {}
    }
  }

  private SpanData attemptSpan(JournalEntry entry, ProviderAttempt a, SpanDraft run) {
    SpanDraft span =
        new SpanDraft(
            name(operation, a.upstreamModel()),
            SpanKind.CLIENT,
            SpanIds.sampled(
                lineage.traceId(),
                SpanIds.attemptSpanId(segment.runId(), segment.firstSeq(), a.attempt())),
            run.context);
    long end = nanos(entry.at());
    // The journal's clock may be coarser than the measured latency; a child never starts before
    // its parent.
    span.times(Math.max(run.start, end - millisToNanos(a.latencyMs())), end);
    span.put(SemconvKeys.OPERATION_NAME, operation)
        .putText(SemconvKeys.PROVIDER_NAME, origin.providers().system(a.provider()))
        .putText(SemconvKeys.REQUEST_MODEL, a.upstreamModel())
        .putText(SemconvKeys.RESPONSE_MODEL, a.responseModel())
        .put(
            SemconvKeys.RESPONSE_TIME_TO_FIRST_CHUNK, a.ttftMs() == null ? null : a.ttftMs() / 1000)
        .put(BallastKeys.RUN_ID, segment.runId())
        .putLong(BallastKeys.ATTEMPT, a.attempt())
        .putText(BallastKeys.DEPLOYMENT, a.deployment())
        .putText(BallastKeys.PROVIDER, a.provider())
        .put(BallastKeys.COST_USD, a.cost())
        .putText(BallastKeys.BREAKER_STATE, a.breakerState())
        .putText(BallastKeys.DECISION, a.decision())
        .putText(BallastKeys.SYSTEM_FINGERPRINT, a.systemFingerprint())
        .put(BallastKeys.CONTENT_OUTPUT, origin.content(a.response()));
    if (a.repairs() != null && !a.repairs().isEmpty()) {
      span.put(BallastKeys.REPAIRS, a.repairs());
    }
    if (a.httpStatus() > 0) {
      span.putLong(SemconvKeys.HTTP_RESPONSE_STATUS_CODE, a.httpStatus());
    }
    server(span, a.provider());
    usage(span, a.usage());
    if (!a.ok()) {
      span.putText(SemconvKeys.ERROR_TYPE, a.outcome()).error(a.error());
    } else if (a.decided(Decision.ANSWERED)
        && segment.last().event() instanceof RunCompleted c
        && c.finishReason() != null) {
      span.put(SemconvKeys.RESPONSE_FINISH_REASONS, List.of(c.finishReason()));
    }
    return span.build(origin);
  }

  private void server(SpanDraft span, String provider) {
    origin
        .providers()
        .baseUrl(provider)
        .filter(url -> url.getHost() != null)
        .ifPresent(
            url ->
                span.put(SemconvKeys.SERVER_ADDRESS, url.getHost())
                    .putLong(SemconvKeys.SERVER_PORT, port(url)));
  }

  private static long port(URI url) {
    if (url.getPort() > 0) {
      return url.getPort();
    }
    return "https".equals(url.getScheme()) ? 443 : 80;
  }

  private static void usage(SpanDraft span, Usage usage) {
    if (usage == null) {
      return;
    }
    span.putLong(SemconvKeys.USAGE_INPUT_TOKENS, usage.inputTokens())
        .putLong(SemconvKeys.USAGE_OUTPUT_TOKENS, usage.outputTokens());
    if (usage.cachedTokens() > 0) {
      span.putLong(SemconvKeys.USAGE_CACHE_READ_INPUT_TOKENS, usage.cachedTokens());
    }
    if (usage.reasoningTokens() > 0) {
      span.putLong(SemconvKeys.USAGE_REASONING_OUTPUT_TOKENS, usage.reasoningTokens());
    }
    if (usage.estimated()) {
      span.put(BallastKeys.USAGE_ESTIMATED, true);
    }
  }

  static String name(String operation, String model) {
    return model == null || model.isEmpty() ? operation : operation + " " + model;
  }
}
