package dev.ballast.telemetry.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * A derived span seen through the interface {@link SpanProcessor#onEnd} takes, so that the SDK's
 * batching processor (its queue, its export thread, its timeouts) delivers spans derived after the
 * fact exactly like spans recorded live.
 */
public record EndedSpan(SpanData data) implements ReadableSpan {

  @Override
  public SpanContext getSpanContext() {
    return data.getSpanContext();
  }

  @Override
  public SpanContext getParentSpanContext() {
    return data.getParentSpanContext();
  }

  @Override
  public String getName() {
    return data.getName();
  }

  @Override
  public SpanData toSpanData() {
    return data;
  }

  @Override
  @Deprecated
  @SuppressWarnings("deprecation") // ReadableSpan still requires it.
  public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return data.getInstrumentationLibraryInfo();
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return data.getInstrumentationScopeInfo();
  }

  @Override
  public boolean hasEnded() {
    return true;
  }

  @Override
  public long getLatencyNanos() {
    return data.getEndEpochNanos() - data.getStartEpochNanos();
  }

  @Override
  public SpanKind getKind() {
    return data.getKind();
  }

  @Override
  public <T> T getAttribute(AttributeKey<T> key) {
    return data.getAttributes().get(key);
  }

  @Override
  public Attributes getAttributes() {
    return data.getAttributes();
  }
}
