package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.watch.AlertRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code ballast_watch_alert_open{series,signal}}: one gauge of 1 per open alert, every node's.
 *
 * <p>Gauges are added for alerts that opened and removed for alerts that closed; one that stays
 * open keeps its gauge. Re-registering every row on each tick (Micrometer's {@code MultiGauge} with
 * overwrite) removes and adds identical label sets, and a scrape running meanwhile could see both
 * and fail with duplicate labels (micrometer#6851) — a {@code /metrics} answering 500.
 *
 * <p>Called on Watch's ticker thread only; not thread-safe.
 */
final class OpenAlertGauges implements Consumer<List<AlertRecord>> {
  private final MeterRegistry registry;
  private final Map<Tags, Gauge> gauges = new HashMap<>();

  OpenAlertGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void accept(List<AlertRecord> alerts) {
    Set<Tags> open =
        alerts.stream()
            .map(a -> Tags.of("series", a.series(), "signal", a.signal()))
            .collect(Collectors.toSet());
    gauges.entrySet().removeIf(e -> !open.contains(e.getKey()) && remove(e.getValue()));
    for (Tags tags : open) {
      gauges.computeIfAbsent(
          tags,
          t ->
              Gauge.builder(WatchAssembly.ALERT_OPEN, () -> 1)
                  .description("Open Watch alerts (1 each) by series and signal, every node's")
                  .tags(t)
                  .register(registry));
    }
  }

  private boolean remove(Gauge gauge) {
    registry.remove(gauge);
    return true;
  }
}
