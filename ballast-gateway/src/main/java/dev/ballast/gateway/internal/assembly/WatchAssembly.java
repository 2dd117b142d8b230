package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.spi.Store;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.replay.trace.RunDiff;
import dev.ballast.replay.trace.RunDiffs;
import dev.ballast.replay.trace.RunTraces;
import dev.ballast.replay.trace.TraceNode;
import dev.ballast.telemetry.BallastMetrics;
import dev.ballast.watch.AlertNotifier;
import dev.ballast.watch.ExpectedIdentities;
import dev.ballast.watch.ExpectedIdentity;
import dev.ballast.watch.RunDiffer;
import dev.ballast.watch.Watch;
import dev.ballast.watch.WatchStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Starts Watch on a node: a journal listener next to telemetry, alert events journaled through the
 * node's writer, diffs by {@code ballast diff}'s engine, and its gauges on {@code /metrics}.
 */
final class WatchAssembly {
  /** {@code ballast_watch_alert_open{series,signal}}: 1 per open alert, every node's. */
  static final String ALERT_OPEN = "ballast.watch.alert.open";

  /** Diff rows kept in an alert: the first differences explain it, the rest are noise. */
  private static final int MAX_DIFF_ROWS = 20;

  private WatchAssembly() {}

  /** Watch on this node, or null when {@code watch.enabled} is false. */
  static Watch start(
      BallastConfig config,
      Store store,
      JournalWriter journal,
      BallastMetrics metrics,
      AtomicReference<PipelineEngine> engine,
      Clock clock,
      String nodeId) {
    if (!config.watch().enabled()) {
      return null;
    }
    AlertNotifier notifier =
        config.watch().notifications().enabled()
            ? new WatchNotifications(engine)
            : AlertNotifier.NONE;
    Watch watch =
        Watch.start(
            config.watch(),
            store.watch(),
            journal::submit,
            differ(new RunTraces(store.journal())),
            expected(config),
            notifier,
            clock,
            nodeId);
    journal.addListener(watch);
    register(metrics, watch);
    return watch;
  }

  /**
   * The deployments' {@code expect:} pins (docs/checks.md): an answer from another model or
   * fingerprint opens a {@code model_changed} alert at its first answer, whether or not the pin
   * also fails the attempt.
   */
  static ExpectedIdentities expected(BallastConfig config) {
    Map<String, ExpectedIdentity> pins = new HashMap<>();
    config
        .deployments()
        .values()
        .forEach(
            d -> {
              if (!d.expect().isEmpty()) {
                pins.put(
                    d.name(),
                    new ExpectedIdentity(
                        d.expect().model(), Set.copyOf(d.expect().fingerprints())));
              }
            });
    return pins.isEmpty()
        ? ExpectedIdentities.NONE
        : deployment -> Optional.ofNullable(pins.get(deployment));
  }

  /** The fields where two runs differ, as {@code ballast diff} aligns them. */
  static RunDiffer differ(RunTraces traces) {
    return (good, bad) -> {
      Optional<TraceNode> a = traces.trace(good);
      Optional<TraceNode> b = traces.trace(bad);
      if (a.isEmpty() || b.isEmpty()) {
        return List.of();
      }
      RunDiff diff = RunDiffs.diff(a.get(), b.get());
      List<AlertRecord.DiffRow> rows = new ArrayList<>();
      for (RunDiff.Row row : diff.rows()) {
        if (!row.same() && rows.size() < MAX_DIFF_ROWS) {
          rows.add(
              new AlertRecord.DiffRow(
                  row.scope(), row.field(), String.valueOf(row.a()), String.valueOf(row.b())));
        }
      }
      return rows;
    };
  }

  private static void register(BallastMetrics metrics, Watch watch) {
    watch.addOpenAlertsListener(new OpenAlertGauges(metrics.registry()));
    Gauge.builder("ballast.watch.series", watch, w -> w.stats().series())
        .description("Series Watch tracks in memory on this node (at most watch.max_series)")
        .register(metrics.registry());
    counter(
        metrics,
        watch,
        "ballast.watch.series.dropped",
        WatchStats::seriesDropped,
        "Observations dropped because watch.max_series series were tracked already");
    counter(
        metrics,
        watch,
        "ballast.watch.proposals.dropped",
        WatchStats::proposalsDropped,
        "Detector verdicts dropped because Watch's ticker fell behind");
    counter(
        metrics,
        watch,
        "ballast.watch.store.failures",
        WatchStats::storeFailures,
        "Watch ticks that failed to read or write the store");
  }

  private static void counter(
      BallastMetrics metrics,
      Watch watch,
      String name,
      ToDoubleFunction<WatchStats> value,
      String description) {
    FunctionCounter.builder(name, watch, w -> value.applyAsDouble(w.stats()))
        .description(description)
        .register(metrics.registry());
  }
}
