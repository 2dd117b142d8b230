package dev.ballast.gateway.internal.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAlertGaugesTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OpenAlertGauges gauges = new OpenAlertGauges(registry);

  @Test
  void keepsTheGaugeOfAnAlertThatStaysOpenAndRemovesTheOneThatClosed() {
    gauges.accept(List.of(alert("deployment:a", "model"), alert("deployment:b", "latency")));
    Gauge a = gauge("deployment:a", "model");
    assertThat(a.value()).isEqualTo(1.0);
    assertThat(gauge("deployment:b", "latency")).isNotNull();

    gauges.accept(List.of(alert("deployment:a", "model")));

    // The same meter, never removed and added again: a scrape in between could see both.
    assertThat(gauge("deployment:a", "model")).isSameAs(a);
    assertThat(registry.find(WatchAssembly.ALERT_OPEN).tag("series", "deployment:b").gauge())
        .isNull();

    gauges.accept(List.of());
    assertThat(registry.find(WatchAssembly.ALERT_OPEN).gauges()).isEmpty();
  }

  private Gauge gauge(String series, String signal) {
    return registry
        .find(WatchAssembly.ALERT_OPEN)
        .tag("series", series)
        .tag("signal", signal)
        .gauge();
  }

  private static AlertRecord alert(String series, String signal) {
    Instant t = Instant.parse("2026-12-07T12:00:00Z");
    return new AlertRecord(
        "alert-" + series + "-" + signal,
        series,
        signal,
        "shift",
        AlertState.OPEN,
        "warning",
        "title",
        t,
        t,
        null,
        t,
        1.0,
        2.0,
        "ms",
        100,
        null,
        null,
        null,
        null,
        1);
  }
}
