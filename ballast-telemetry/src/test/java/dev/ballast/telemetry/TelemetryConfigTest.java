package dev.ballast.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TelemetryConfigTest {
  @Test
  void theDefaultsExportNothingAndCaptureNoContent() {
    TelemetryConfig config = TelemetryConfig.defaults();

    assertThat(config.exportsSpans()).isFalse();
    assertThat(config.captureContent()).isFalse();
    assertThat(config.serviceName()).isEqualTo("ballast");
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.headers()).isEmpty();
    assertThat(config.maxBufferedRuns()).isEqualTo(10_000);
  }

  @ParameterizedTest
  @CsvSource({
    "http://collector:4318, http://collector:4318/v1/traces",
    "http://collector:4318/, http://collector:4318/v1/traces",
    "https://otlp.example.com/otlp, https://otlp.example.com/otlp/v1/traces",
    "http://collector:4318/v1/traces, http://collector:4318/v1/traces"
  })
  void aBaseEndpointGetsTheTracesPathAppended(String given, String expected) {
    assertThat(TelemetryConfig.builder().otlpEndpoint(given).build().otlpEndpoint())
        .isEqualTo(URI.create(expected));
  }

  @Test
  void anEndpointThatIsNotHttpIsRefusedWithItsKeyAndValue() {
    assertThatThrownBy(
            () -> TelemetryConfig.builder().otlpEndpoint("grpc://collector:4317").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "telemetry.otlp_endpoint must be an absolute http or https URL, but was"
                + " grpc://collector:4317");
  }

  @Test
  void aTimeoutMustBePositive() {
    assertThatThrownBy(() -> TelemetryConfig.builder().timeout(Duration.ZERO).build())
        .hasMessage("telemetry.timeout must be positive, but was PT0S");
  }

  @Test
  void aHeaderValueMustNotContainALineBreak() {
    assertThatThrownBy(() -> TelemetryConfig.builder().header("Authorization", "a\r\nX: y").build())
        .hasMessage("telemetry.headers.Authorization must not contain a line break");
  }

  @Test
  void aServiceNameMustNotBeBlank() {
    assertThatThrownBy(() -> TelemetryConfig.builder().serviceName("  ").build())
        .hasMessage("telemetry.service_name must not be blank");
  }

  @Test
  void theBufferLimitMustBeInRange() {
    assertThatThrownBy(() -> TelemetryConfig.builder().maxBufferedRuns(0).build())
        .hasMessage("telemetry.max_buffered_runs must be between 1 and 1000000, but was 0");
  }
}
