package dev.ballast.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {

  @Test
  void aQuantileNeedsTheMinimumSamples() {
    LatencyWindow window = new LatencyWindow(10);
    window.record(Duration.ofMillis(5));

    assertThat(window.quantile(0.95, 2)).isEmpty();
    assertThat(window.quantile(0.95, 1)).contains(Duration.ofMillis(5));
  }

  @Test
  void theQuantileIsTheNearestRankOfTheLastSamplesOnly() {
    LatencyWindow window = new LatencyWindow(10);
    for (int i = 1; i <= 10; i++) {
      window.record(Duration.ofSeconds(100)); // pushed out below
    }
    for (int i = 1; i <= 10; i++) {
      window.record(Duration.ofMillis(i * 10L));
    }

    assertThat(window.size()).isEqualTo(10);
    assertThat(window.quantile(0.95, 10)).contains(Duration.ofMillis(100));
    assertThat(window.quantile(0.5, 10)).contains(Duration.ofMillis(50));
  }

  @Test
  void rejectsAQuantileOutsideZeroToOne() {
    assertThatThrownBy(() -> new LatencyWindow(1).quantile(1.5, 1))
        .hasMessageContaining("q must be in (0, 1], but was 1.5");
  }
}
