package dev.ballast.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.telemetry.internal.SpanIds;
import io.opentelemetry.api.trace.SpanContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceparentTest {
  @Test
  void aValidTraceparentBecomesARemoteSampledParent() {
    SpanContext parent =
        SpanIds.parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    assertThat(parent.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(parent.getSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(parent.isRemote()).isTrue();
    assertThat(parent.isSampled()).isTrue();
  }

  @Test
  void aLaterVersionMayCarryMoreFields() {
    assertThat(
            SpanIds.parseTraceparent(
                    "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00-extra")
                .isSampled())
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
        "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "00-00000000000000000000000000000000-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra"
      })
  void anInvalidTraceparentIsRefused(String value) {
    assertThatThrownBy(() -> SpanIds.parseTraceparent(value))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aModelCallSharesItsPipelineRunsTraceId() {
    assertThat(SpanIds.traceId(Journals.MODEL_CALL))
        .isEqualTo(SpanIds.traceId(Journals.PIPELINE_RUN));
    assertThat(SpanIds.traceId(Journals.GATEWAY_RUN))
        .isNotEqualTo(SpanIds.traceId(Journals.PIPELINE_RUN));
  }
}
