package dev.ballast.telemetry.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A span being assembled from journal events. Not thread-safe; used by one derivation. */
final class SpanDraft {
  final SpanContext context;
  private final String name;
  private final SpanKind kind;
  private final SpanContext parent;
  private final AttributesBuilder attributes = Attributes.builder();
  private final List<EventData> events = new ArrayList<>();
  private StatusData status = StatusData.unset();
  long start;
  long end;

  SpanDraft(String name, SpanKind kind, SpanContext context, SpanContext parent) {
    this.name = name;
    this.kind = kind;
    this.context = context;
    this.parent = parent == null ? SpanContext.getInvalid() : parent;
  }

  /** Sets an attribute unless {@code value} is null; a missing journal field is no attribute. */
  <T> SpanDraft put(AttributeKey<T> key, T value) {
    if (value != null) {
      attributes.put(key, value);
    }
    return this;
  }

  SpanDraft putText(AttributeKey<String> key, String value) {
    return value == null || value.isEmpty() ? this : put(key, value);
  }

  SpanDraft putLong(AttributeKey<Long> key, long value) {
    attributes.put(key, value);
    return this;
  }

  SpanDraft event(String eventName, Instant at, Attributes eventAttributes) {
    events.add(EventData.create(nanos(at), eventName, eventAttributes));
    return this;
  }

  SpanDraft error(String description) {
    status = StatusData.create(StatusCode.ERROR, description == null ? "" : description);
    return this;
  }

  SpanDraft times(long startNanos, long endNanos) {
    this.start = startNanos;
    this.end = Math.max(startNanos, endNanos);
    return this;
  }

  DerivedSpan build(SpanOrigin origin) {
    events.sort((a, b) -> Long.compare(a.getEpochNanos(), b.getEpochNanos()));
    return new DerivedSpan(
        name,
        kind,
        context,
        parent,
        status,
        start,
        end,
        attributes.build(),
        events,
        origin.scope(),
        origin.resource());
  }

  static long nanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }

  static long millisToNanos(double millis) {
    return Math.round(millis * 1_000_000d);
  }
}
