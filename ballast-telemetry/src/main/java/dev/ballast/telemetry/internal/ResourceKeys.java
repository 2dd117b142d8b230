package dev.ballast.telemetry.internal;

import io.opentelemetry.api.common.AttributeKey;

/** Resource attribute keys of the semantic conventions. */
final class ResourceKeys {
  private ResourceKeys() {}

  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
}
