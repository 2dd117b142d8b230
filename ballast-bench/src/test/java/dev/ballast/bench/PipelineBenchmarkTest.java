package dev.ballast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.bench.PipelineBenchmark.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineBenchmarkTest {
  private static Result engine(int workers, double runsPerSecond, double p50) {
    return new Result(
        "postgresql", "engine + journal", workers, 5000, 5000 / runsPerSecond, p50, 9);
  }

  @Test
  void theAimIsMetOnlyByARowThatMeetsBothHalves() {
    String line =
        PipelineBenchmark.targets(
            List.of(
                engine(8, 832, 1.67),
                engine(16, 1337, 1.81),
                engine(32, 1738, 2.38),
                new Result("postgresql", "queue only (baseline)", 32, 5000, 2, 1.2, 3)));

    assertThat(line).contains("met at 16 workers, 1,337 runs/s (4,011 stage transitions/s)");
    assertThat(line).contains("p50 1.81 ms");
  }

  @Test
  void fastRowsWithASlowCheckpointAndQuickRowsBelowTheThroughputMissTheAim() {
    String line =
        PipelineBenchmark.targets(
            List.of(engine(8, 736, 2.04), engine(16, 979, 1.9), engine(32, 1330, 4.16)));

    assertThat(line)
        .contains("missed; the fastest row makes 1,330 runs/s at 32 workers with p50 4.16 ms");
  }
}
