package dev.ballast.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetrySettingsTest {
  private static final String BASE =
      """
      providers:
        sim: {type: simulator}
      deployments:
        sim: {provider: sim, model: sim}
      groups:
        default: {deployments: [sim]}
      tenants:
        acme: {keys: ["sha256:%s"]}
      """
          .formatted("a".repeat(64));

  private static BallastConfig parse(String telemetry, Map<String, String> env) {
    return ConfigLoader.parse("t.yaml", BASE + telemetry, env);
  }

  private static ConfigException errors(String telemetry) {
    try {
      parse(telemetry, Map.of());
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("the configuration was accepted");
  }

  @Test
  void withoutTheSectionNothingIsExportedAndTheDefaultsApply() {
    TelemetrySettings telemetry = parse("", Map.of()).telemetry();

    assertThat(telemetry).isEqualTo(TelemetrySettings.DEFAULT);
    assertThat(telemetry.exportsSpans()).isFalse();
    assertThat(telemetry.serviceName()).isEqualTo("ballast");
    assertThat(telemetry.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(telemetry.maxBufferedRuns()).isEqualTo(10_000);
    assertThat(telemetry.bufferTtl()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void readsTheBufferTimeToLiveAndNamesABadOne() {
    assertThat(parse("telemetry: {buffer_ttl: 2m}\n", Map.of()).telemetry().bufferTtl())
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(errors("telemetry: {buffer_ttl: 25h}\n").errors())
        .anySatisfy(m -> assertThat(m).startsWith("telemetry.buffer_ttl: must be at most 24h"));
    assertThat(errors("telemetry: {buffer_ttl: later}\n").errors())
        .anySatisfy(m -> assertThat(m).startsWith("telemetry.buffer_ttl: expected a duration"));
  }

  @Test
  void readsEverySettingWithHeadersInterpolatedFromTheEnvironment() {
    TelemetrySettings telemetry =
        parse(
                """
                telemetry:
                  otlp_endpoint: "http://collector:4318"
                  headers: {Authorization: "Bearer ${OTLP_TOKEN}", x-tenant: ops}
                  capture_content: true
                  service_name: ballast-eu
                  timeout: 3s
                  max_buffered_runs: 500
                """,
                Map.of("OTLP_TOKEN", "otlp-secret"))
            .telemetry();

    assertThat(telemetry.otlpEndpoint()).isEqualTo(URI.create("http://collector:4318"));
    assertThat(telemetry.headers()).containsOnlyKeys("Authorization", "x-tenant");
    assertThat(telemetry.headers().get("Authorization").value()).isEqualTo("Bearer otlp-secret");
    assertThat(telemetry.captureContent()).isTrue();
    assertThat(telemetry.serviceName()).isEqualTo("ballast-eu");
    assertThat(telemetry.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(telemetry.maxBufferedRuns()).isEqualTo(500);
  }

  @Test
  void headerValuesAreSecretsThatNoMessageOrToStringShows() {
    BallastConfig config =
        parse(
            "telemetry: {otlp_endpoint: \"https://otlp.example.com\","
                + " headers: {Authorization: \"${OTLP_TOKEN}\"}}\n",
            Map.of("OTLP_TOKEN", "otlp-secret"));

    assertThat(config.toString()).doesNotContain("otlp-secret");
    assertThatThrownBy(
            () ->
                parse(
                    "telemetry: {headers: {Authorization: \"${OTLP_TOKEN}\\nx: y\"}}\n",
                    Map.of("OTLP_TOKEN", "otlp-secret")))
        .hasMessageContaining(
            "telemetry.headers.Authorization: the value must not contain a line break")
        .hasMessageNotContaining("otlp-secret");
  }

  @Test
  void anEmptyEndpointSwitchesExportOffSoTheEnvironmentCanDecide() {
    String telemetry = "telemetry: {otlp_endpoint: \"${OTEL_EXPORTER_OTLP_ENDPOINT:-}\"}\n";

    assertThat(parse(telemetry, Map.of()).telemetry().exportsSpans()).isFalse();
    assertThat(
            parse(telemetry, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"))
                .telemetry()
                .otlpEndpoint())
        .isEqualTo(URI.create("http://127.0.0.1:4318"));
  }

  @Test
  void anEndpointThatIsNotAnHttpUrlIsAnErrorNamingItsPath() {
    assertThat(errors("telemetry: {otlp_endpoint: \"collector:4318\"}\n").errors())
        .containsExactly(
            "telemetry.otlp_endpoint: expected an http:// or https:// URL such as"
                + " http://127.0.0.1:4318, but was \"collector:4318\"");
    assertThat(errors("telemetry: {otlp_endpoint: \"http://bad host:4318\"}\n").errors())
        .singleElement()
        .asString()
        .startsWith("telemetry.otlp_endpoint: expected an http:// or https:// URL");
    assertThat(errors("telemetry: {otlp_endpoint: \"grpc://collector:4317\"}\n").errors())
        .singleElement()
        .asString()
        .startsWith("telemetry.otlp_endpoint: expected an http:// or https:// URL");
  }

  @Test
  void reportsEveryBadSettingAtOnceWithItsPath() {
    ConfigException e =
        errors(
            """
            telemetry:
              otlp_endpoint: "ftp://collector"
              headers: {"bad header": x}
              capture_content: maybe
              service_name: "  "
              timeout: 0s
              max_buffered_runs: 0
              sampler: always
            """);

    assertThat(e.errors())
        .contains(
            "telemetry.headers.bad header: not a valid HTTP header name",
            "telemetry.capture_content: expected true or false, but was \"maybe\"",
            "telemetry.service_name: must not be empty",
            "telemetry.timeout: must be greater than zero",
            "telemetry.max_buffered_runs: must be between 1 and 1000000, but was 0")
        .anySatisfy(m -> assertThat(m).startsWith("telemetry.otlp_endpoint: expected an http"))
        .anySatisfy(m -> assertThat(m).startsWith("telemetry.sampler: unknown key"))
        .hasSize(7);
  }

  @Test
  void anEndpointWithCredentialsIsNotEchoedWithItsPassword() {
    assertThat(errors("telemetry: {otlp_endpoint: \"ftp://user:hunter2@collector\"}\n").errors())
        .singleElement()
        .asString()
        .doesNotContain("hunter2");
  }
}
