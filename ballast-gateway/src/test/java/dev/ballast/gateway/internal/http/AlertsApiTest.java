package dev.ballast.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.config.TenantLimits;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertsApiTest {
  @Test
  void aTenantReadsTheAlertsOfItsOwnSeriesOnlyAndTheAdministratorAll() {
    Caller acme = new Caller(tenant("acme"), false, null);
    Caller admin = new Caller(tenant("ops"), true, null);
    assertThat(AlertsApi.visible(acme, alert("tenant:acme"))).isTrue();
    assertThat(AlertsApi.visible(acme, alert("tenant:acme/embeddings"))).isTrue();
    assertThat(AlertsApi.visible(acme, alert("tenant:acme-eu"))).isFalse();
    assertThat(AlertsApi.visible(acme, alert("deployment:gpt4o"))).isFalse();
    assertThat(AlertsApi.visible(admin, alert("deployment:gpt4o"))).isTrue();
  }

  private static TenantConfig tenant(String name) {
    return new TenantConfig(
        name, List.of(), true, List.of(), "interactive", TenantLimits.UNLIMITED);
  }

  private static AlertRecord alert(String series) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new AlertRecord(
        "alrt_1",
        series,
        "latency",
        "shift_up",
        AlertState.OPEN,
        "warning",
        "latency up",
        t,
        t,
        null,
        t,
        100.0,
        200.0,
        "ms",
        10,
        "a",
        "b",
        Map.of(),
        List.of(),
        0);
  }
}
