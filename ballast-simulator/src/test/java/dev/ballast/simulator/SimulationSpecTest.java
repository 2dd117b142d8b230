package dev.ballast.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulationSpecTest {

  @Test
  void parsesEveryDirective() {
    SimulationSpec spec =
        SimulationSpec.parse(
            "latency=20ms..200ms,token_delay=5ms,tokens=4,error=0.5@502,status=429,retry_after=2,"
                + "fail_first=3@500,flap=60s,context_length,content_policy,reset,silence,"
                + "first_token_delay=1s,cut_after=2,stall_after=3,malformed_chunk,no_done,"
                + "drift=fenced_json+model,drift=fingerprint,no_usage");
    assertThat(spec.latency().min()).isEqualTo(Duration.ofMillis(20));
    assertThat(spec.latency().max()).isEqualTo(Duration.ofMillis(200));
    assertThat(spec.errorRate()).isEqualTo(0.5);
    assertThat(spec.errorStatus()).isEqualTo(502);
    assertThat(spec.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(spec.failFirst()).isEqualTo(3);
    assertThat(spec.flap()).isEqualTo(Duration.ofSeconds(60));
    assertThat(spec.firstTokenDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(spec.drifts())
        .containsExactlyInAnyOrder(Drift.FENCED_JSON, Drift.MODEL, Drift.FINGERPRINT);
    assertThat(spec.cutAfter()).isEqualTo(2);
    assertThat(spec.noUsage()).isTrue();
  }

  @Test
  void rejectsAnUnknownDirectiveByName() {
    assertThatThrownBy(() -> SimulationSpec.parse("latency=5ms,explode"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("unknown simulator directive \"explode\"")
        .satisfies(e -> assertThat(((InvalidSpecException) e).directive()).isEqualTo("explode"));
  }

  @Test
  void rejectsOutOfRangeValuesEchoingThem() {
    assertThatThrownBy(() -> SimulationSpec.parse("error=1.5"))
        .hasMessageContaining("between 0 and 1, but was 1.5");
    assertThatThrownBy(() -> SimulationSpec.parse("status=200")).hasMessageContaining("was 200");
    assertThatThrownBy(() -> SimulationSpec.parse("latency=fast")).hasMessageContaining("fast");
  }

  @Test
  void reportsEveryInvalidProfileWithItsPath() {
    assertThatThrownBy(
            () -> new Simulator(1, Instant::now, Map.of("a", "bogus", "b", "tokens=-1", "ok", "")))
        .hasMessageContaining("profiles.a: unknown simulator directive \"bogus\"")
        .hasMessageContaining("profiles.b:");
  }

  @Test
  void profileDirectivesCombineWithInlineOnes() {
    Simulator sim = new Simulator(1, Instant::now, Map.of("flaky", "error=0.3@503"));
    SimulationSpec spec = sim.spec("flaky:tokens=3");
    assertThat(spec.errorRate()).isEqualTo(0.3);
    assertThat(spec.tokens()).isEqualTo(3);
    assertThat(sim.spec("gpt-4o")).isEqualTo(SimulationSpec.HEALTHY);
  }

  @Test
  void logNormalLatencyParses() {
    SimulationSpec spec = SimulationSpec.parse("latency=p50:10ms/p99:100ms");
    assertThat(spec.latency().logNormal()).isTrue();
    assertThat(spec.latency().max()).isEqualTo(Duration.ofMillis(100));
  }
}
