package dev.ballast.telemetry.internal;

import dev.ballast.telemetry.ProviderCatalog;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.charset.StandardCharsets;

/**
 * What every derived span shares: the resource (service), the instrumentation scope, whether
 * content is captured, and the provider catalog.
 */
public record SpanOrigin(
    Resource resource,
    InstrumentationScopeInfo scope,
    boolean captureContent,
    ProviderCatalog providers) {

  public static final String SCOPE_NAME = "dev.ballast.telemetry";

  /** Content longer than this is cut, so that one large prompt cannot exceed an export limit. */
  static final int MAX_CONTENT_CHARS = 16 * 1024;

  public static SpanOrigin of(
      String serviceName, boolean captureContent, ProviderCatalog providers) {
    Resource resource =
        Resource.getDefault()
            .merge(Resource.create(Attributes.of(ResourceKeys.SERVICE_NAME, serviceName)));
    InstrumentationScopeInfo scope = InstrumentationScopeInfo.builder(SCOPE_NAME).build();
    return new SpanOrigin(resource, scope, captureContent, providers);
  }

  /** A payload's content as text, when capture is on and this node still holds the bytes. */
  String content(dev.ballast.core.journal.Payload payload) {
    if (!captureContent || payload == null || payload.bytes() == null) {
      return null;
    }
    String text = new String(payload.bytes(), StandardCharsets.UTF_8);
    return text.length() <= MAX_CONTENT_CHARS ? text : text.substring(0, MAX_CONTENT_CHARS) + "…";
  }
}
