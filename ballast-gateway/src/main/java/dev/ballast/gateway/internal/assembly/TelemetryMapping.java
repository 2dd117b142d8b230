package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ProviderConfig;
import dev.ballast.core.config.TelemetrySettings;
import dev.ballast.providers.ProviderApi;
import dev.ballast.telemetry.ProviderCatalog;
import dev.ballast.telemetry.TelemetryConfig;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps the configuration core read onto the telemetry module's types; core knows nothing of them.
 */
final class TelemetryMapping {
  private TelemetryMapping() {}

  /**
   * @throws IllegalArgumentException naming the setting, for a value core let through that the
   *     telemetry module refuses (core checks the same rules, so this means the two disagree)
   */
  static TelemetryConfig config(TelemetrySettings settings) {
    TelemetryConfig.Builder builder =
        TelemetryConfig.builder()
            .otlpEndpoint(settings.otlpEndpoint())
            .timeout(settings.timeout())
            .captureContent(settings.captureContent())
            .serviceName(settings.serviceName())
            .maxBufferedRuns(settings.maxBufferedRuns())
            .bufferTtl(settings.bufferTtl());
    settings.headers().forEach((name, value) -> builder.header(name, value.value()));
    return builder.build();
  }

  /**
   * Each configured provider's family ({@code gen_ai.provider.name}) and the base URL its requests
   * go to, the type's public URL when the configuration names none. An in-process simulator has no
   * URL.
   */
  static ProviderCatalog catalog(BallastConfig config) {
    Map<String, ProviderCatalog.Endpoint> endpoints = new HashMap<>();
    for (ProviderConfig p : config.providers().values()) {
      endpoints.put(p.name(), endpoint(p));
    }
    return ProviderCatalog.of(endpoints);
  }

  private static ProviderCatalog.Endpoint endpoint(ProviderConfig p) {
    ProviderApi wire =
        switch (p.type()) {
          case OPENAI -> ProviderApi.OPENAI;
          case ANTHROPIC -> ProviderApi.ANTHROPIC;
          case OLLAMA -> ProviderApi.OLLAMA;
          case AZURE_OPENAI -> ProviderApi.AZURE_OPENAI;
          case GEMINI -> ProviderApi.GEMINI;
          case BEDROCK -> ProviderApi.BEDROCK;
          case SIMULATOR, LOCAL -> null;
        };
    if (wire == null) {
      // Not a well-known GenAI system: the conventions allow a custom name.
      return new ProviderCatalog.Endpoint(p.type().wireName(), p.baseUrl());
    }
    URI baseUrl = p.baseUrl() == null ? defaultBaseUrl(p, wire) : p.baseUrl();
    return new ProviderCatalog.Endpoint(wire.system(), baseUrl);
  }

  /** Bedrock's endpoint is per region; the other types without a URL have a constant one. */
  private static URI defaultBaseUrl(ProviderConfig p, ProviderApi wire) {
    if (wire == ProviderApi.BEDROCK && p.aws() != null) {
      return URI.create("https://bedrock-runtime." + p.aws().region() + ".amazonaws.com");
    }
    return wire.defaultBaseUrl();
  }
}
