package dev.ballast.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.telemetry.JournalSpans;
import dev.ballast.telemetry.JournalTracer;
import dev.ballast.telemetry.ProviderCatalog;
import dev.ballast.telemetry.TelemetryConfig;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TraceContextTest {
  private static final String RUN = "run_0195f3a1b2c3d4e5f6a7b8";
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER = "00-" + CALLER_TRACE + "-00f067aa0ba902b7-01";

  private final JournalTracer tracer =
      JournalTracer.start(TelemetryConfig.defaults(), ProviderCatalog.empty());
  private final TraceContext traces = new TraceContext(tracer);

  @AfterEach
  void close() {
    tracer.close();
  }

  @Test
  void withoutATraceparentTheRunAnswersWithItsOwnTrace() {
    assertThat(traces.link(RUN, Optional.empty())).isEqualTo(JournalSpans.traceparent(RUN));
  }

  @Test
  void aCallersTraceparentGivesTheRunSpanInTheCallersTrace() {
    String own = JournalSpans.traceparent(RUN);

    String answered = traces.link(RUN, Optional.of(CALLER));

    assertThat(answered).isEqualTo("00-" + CALLER_TRACE + own.substring(35));
  }

  @Test
  void anUppercaseTraceparentIsAcceptedAndAnsweredInLowercase() {
    String answered = traces.link(RUN, Optional.of(" " + CALLER.toUpperCase() + " "));

    assertThat(answered).startsWith("00-" + CALLER_TRACE + "-");
  }

  @Test
  void aMalformedTraceparentIsIgnoredAsW3cAsks() {
    String own = JournalSpans.traceparent(RUN);

    assertThat(traces.link(RUN, Optional.of("00-not-a-trace-01"))).isEqualTo(own);
    assertThat(traces.link(RUN, Optional.of("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")))
        .isEqualTo(own);
    assertThat(traces.link(RUN, Optional.of("ff-" + CALLER_TRACE + "-00f067aa0ba902b7-01")))
        .isEqualTo(own);
  }
}
