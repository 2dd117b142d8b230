package dev.ballast.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.testkit.PrometheusText;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BallastTelemetryTest {
  @Test
  void oneListenerFeedsMetricsAndTracerAndTheTracersCountersAreMetrics() {
    try (BallastTelemetry telemetry =
        BallastTelemetry.start(TelemetryConfig.defaults(), Journals.PROVIDERS)) {
      telemetry.accept(Journals.gatewayRunWithFailover());

      Map<String, PrometheusText.Family> families =
          PrometheusText.parse(telemetry.metrics().scrape());

      assertThat(families.get("ballast_runs_total").samples()).isNotEmpty();
      assertThat(families)
          .containsKeys(
              "ballast_telemetry_runs_buffered",
              "ballast_telemetry_runs_dropped_total",
              "ballast_telemetry_spans_total");
      assertThat(telemetry.spans().derive(Journals.gatewayRunWithFailover())).hasSize(3);
    }
  }
}
