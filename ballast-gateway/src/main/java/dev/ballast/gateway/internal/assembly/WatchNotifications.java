package dev.ballast.gateway.internal.assembly;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.WatchSettings;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.pipeline.SubmitRequest;
import dev.ballast.watch.AlertNotifier;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@code watch.notify}: each opening and resolution becomes a run of the built-in pipeline
 * {@value WatchSettings#NOTIFY_PIPELINE}, submitted under the idempotency key {@code
 * ALERT/TRANSITION} by the one node whose store write made the transition. The run queue keeps it
 * until a worker (any node) delivers it, and the effects ledger sends every retry with the same
 * {@code Idempotency-Key}, so a notification survives restarts and is not sent twice for one
 * transition. Runs belong to the reserved tenant {@code ballast}.
 */
final class WatchNotifications implements AlertNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(WatchNotifications.class);
  static final String TENANT = "ballast";

  private final AtomicReference<PipelineEngine> engine;

  WatchNotifications(AtomicReference<PipelineEngine> engine) {
    this.engine = engine;
  }

  @Override
  public void notify(AlertRecord alert, String transition) {
    PipelineEngine pipelines = engine.get();
    if (pipelines == null) {
      LOG.warn(
          "alert {} {} before the pipeline engine started: not notified", alert.id(), transition);
      return;
    }
    pipelines.submit(
        new SubmitRequest(
            WatchSettings.NOTIFY_PIPELINE,
            TENANT,
            input(alert, transition),
            alert.id() + "/" + transition,
            null));
  }

  static ObjectNode input(AlertRecord a, String transition) {
    ObjectNode in = Json.mapper().createObjectNode();
    String runs =
        a.firstBadRun() == null
            ? ""
            : " · last good " + a.lastGoodRun() + ", first bad " + a.firstBadRun();
    in.put(
        "text",
        "[" + a.severity() + "] " + transition + ": " + a.title() + " (" + a.id() + ")" + runs);
    in.put("alert", a.id());
    in.put("transition", transition);
    in.put("series", a.series());
    in.put("signal", a.signal());
    in.put("kind", a.kind());
    in.put("severity", a.severity());
    in.put("title", a.title());
    in.put("last_good_run", a.lastGoodRun() == null ? "" : a.lastGoodRun());
    in.put("first_bad_run", a.firstBadRun() == null ? "" : a.firstBadRun());
    return in;
  }
}
