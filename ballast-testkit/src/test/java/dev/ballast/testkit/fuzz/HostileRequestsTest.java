package dev.ballast.testkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostileRequestsTest {
  @Test
  void everySeedGeneratesRequestsWithoutFailing() {
    // A mutation of an already emptied body once threw from Random.nextInt(0) and silently ended
    // a fuzzer thread. The generator is pure, so many seeds cost little.
    for (long seed = 0; seed < 200; seed++) {
      HostileRequests generator =
          new HostileRequests(seed, List.of("chat", "embed"), List.of("p"), List.of("docs"));
      for (int i = 0; i < 2_000; i++) {
        assertThat(generator.next()).isNotNull();
      }
    }
  }
}
