package dev.ballast.gateway.internal.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.telemetry.ProviderCatalog;
import dev.ballast.telemetry.TelemetryConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelemetryMappingTest {
  private static final String YAML =
      """
      providers:
        openai-main: {type: openai, api_key: k}
        vllm: {type: openai, base_url: "http://10.0.0.5:8000/v1"}
        claude: {type: anthropic, api_key: k}
        local: {type: ollama}
        sim: {type: simulator}
      deployments:
        sim: {provider: sim, model: sim}
      groups:
        default: {deployments: [sim]}
      tenants:
        acme: {keys: ["sha256:%s"]}
      telemetry:
        otlp_endpoint: "http://collector:4318"
        headers: {Authorization: "Bearer ${OTLP_TOKEN}"}
        capture_content: true
        service_name: ballast-eu
        timeout: 3s
        max_buffered_runs: 500
        buffer_ttl: 90s
      """
          .formatted("a".repeat(64));

  private static final BallastConfig CONFIG =
      ConfigLoader.parse("t.yaml", YAML, Map.of("OTLP_TOKEN", "otlp-secret"));

  @Test
  void everySettingReachesTheTelemetryConfigWithTheTracesPathAppended() {
    TelemetryConfig config = TelemetryMapping.config(CONFIG.telemetry());

    assertThat(config.otlpEndpoint()).isEqualTo(URI.create("http://collector:4318/v1/traces"));
    assertThat(config.headers()).containsExactly(Map.entry("Authorization", "Bearer otlp-secret"));
    assertThat(config.captureContent()).isTrue();
    assertThat(config.serviceName()).isEqualTo("ballast-eu");
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.maxBufferedRuns()).isEqualTo(500);
    assertThat(config.bufferTtl()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void withoutATelemetrySectionNothingIsExported() {
    BallastConfig plain =
        ConfigLoader.parse(
            "t.yaml", YAML.substring(0, YAML.indexOf("telemetry:")), Map.of("OTLP_TOKEN", "x"));

    TelemetryConfig config = TelemetryMapping.config(plain.telemetry());

    assertThat(config.exportsSpans()).isFalse();
    assertThat(config).isEqualTo(TelemetryConfig.defaults());
  }

  @Test
  void providersAreNamedByFamilyWithTheirBaseUrlOrTheFamilysPublicOne() {
    ProviderCatalog catalog = TelemetryMapping.catalog(CONFIG);

    assertThat(catalog.system("openai-main")).isEqualTo("openai");
    assertThat(catalog.baseUrl("openai-main")).contains(URI.create("https://api.openai.com/v1"));
    assertThat(catalog.system("vllm")).isEqualTo("openai");
    assertThat(catalog.baseUrl("vllm")).contains(URI.create("http://10.0.0.5:8000/v1"));
    assertThat(catalog.system("claude")).isEqualTo("anthropic");
    assertThat(catalog.baseUrl("claude")).contains(URI.create("https://api.anthropic.com"));
    assertThat(catalog.system("local")).isEqualTo("ollama");
    assertThat(catalog.system("sim")).isEqualTo("simulator");
    assertThat(catalog.baseUrl("sim")).isEqualTo(Optional.empty());
  }
}
