package dev.ballast.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogHistogramTest {
  @Test
  void readsTheMedianAndMadOfNormalDataWithinABucket() {
    Random rng = new Random(1);
    LogHistogram h = new LogHistogram();
    for (int i = 0; i < 100_000; i++) {
      h.add(5 + 0.5 * rng.nextGaussian());
    }
    double median = h.median();
    assertThat(median).isCloseTo(5, within(LogHistogram.WIDTH));
    // MAD of a normal distribution is 0.6745 σ.
    assertThat(h.mad(median)).isCloseTo(0.6745 * 0.5, within(LogHistogram.WIDTH));
  }

  @Test
  void encodesAndMergesByAddingCounts() {
    LogHistogram a = new LogHistogram();
    a.add(1.0);
    a.add(1.01);
    a.add(-2.0);
    LogHistogram b = LogHistogram.parse(a.encode());
    assertThat(b.encode()).isEqualTo(a.encode());
    b.addAll(a);
    assertThat(b.count()).isEqualTo(6);
    assertThat(LogHistogram.parse("20:2,bad,x:y,21:1").count()).isEqualTo(3);
  }
}
