package dev.ballast.telemetry.internal;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/** Chooses how a segment becomes spans: a gateway run's tree or a pipeline run's. */
public final class Spans {
  private Spans() {}

  /**
   * @param segment a {@link RunSegment#ready() ready} segment
   */
  public static List<SpanData> derive(SpanOrigin origin, RunSegment segment, Lineage lineage) {
    return segment.pipeline()
        ? PipelineSpans.derive(origin, segment, lineage)
        : GatewaySpans.derive(origin, segment, lineage);
  }
}
