package dev.ballast.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NestedCallTest {
  @Test
  void readsTheStageAttemptAndLeaseOfACallId() {
    assertThat(NestedCall.parse("prun_1/summarize/2@7"))
        .isEqualTo(new NestedCall("prun_1", "summarize", 2, 7L));
  }

  @Test
  void readsTheOlderIdWithoutALease() {
    assertThat(NestedCall.parse("prun_1/summarize/2"))
        .isEqualTo(new NestedCall("prun_1", "summarize", 2, null));
  }

  @Test
  void anyOtherRunIdIsNotANestedCall() {
    assertThat(NestedCall.parse("run_01abc")).isNull();
    assertThat(NestedCall.parse("prun_1/summarize/x")).isNull();
    assertThat(NestedCall.parse("prun_1/summarize/2@")).isNull();
    assertThat(NestedCall.parse("prun_1/summarize/")).isNull();
  }
}
