package dev.ballast.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private final MutableClock clock = new MutableClock();

  private static RetryBudgetConfig config(double ratio, double floor) {
    return RetryBudgetConfig.builder()
        .budgetRatio(ratio)
        .window(Duration.ofSeconds(10), Duration.ofSeconds(1))
        .minRetriesPerSecond(floor)
        .build();
  }

  private static int drain(RetryBudget budget) {
    int granted = 0;
    while (budget.tryAcquireRetry()) {
      granted++;
    }
    return granted;
  }

  @Test
  void allowsAtMostTheRatioOfRecentFirstAttemptsUnderLoad() {
    RetryBudget budget = RetryBudget.create(config(0.2, 0), clock);
    for (int i = 0; i < 1000; i++) {
      budget.recordRequest();
    }
    assertThat(drain(budget)).isEqualTo(200);
    assertThat(budget.remaining()).isZero();
  }

  @Test
  void allowsTheFloorWhenQuiet() {
    RetryBudget budget = RetryBudget.create(config(0.2, 3), clock);
    assertThat(drain(budget)).isEqualTo(30); // 3 per second over a 10 s window
  }

  @Test
  void ratioAndFloorAddUp() {
    RetryBudget budget = RetryBudget.create(config(0.2, 3), clock);
    for (int i = 0; i < 100; i++) {
      budget.recordRequest();
    }
    assertThat(budget.remaining()).isEqualTo(50.0);
  }

  @Test
  void requestsOlderThanTheWindowNoLongerEarnBudget() {
    RetryBudget budget = RetryBudget.create(config(0.5, 0), clock);
    for (int i = 0; i < 10; i++) {
      budget.recordRequest();
    }
    clock.advance(Duration.ofSeconds(9));
    assertThat(budget.remaining()).isEqualTo(5.0);
    clock.advance(Duration.ofSeconds(1));
    assertThat(budget.remaining()).isZero();
    assertThat(budget.tryAcquireRetry()).isFalse();
  }

  @Test
  void retriesSpentSlideOutOfTheWindowToo() {
    RetryBudget budget = RetryBudget.create(config(0.5, 0), clock);
    for (int i = 0; i < 10; i++) {
      budget.recordRequest();
    }
    assertThat(drain(budget)).isEqualTo(5);
    clock.advance(Duration.ofSeconds(5));
    for (int i = 0; i < 10; i++) {
      budget.recordRequest();
    }
    // 20 requests in the window earn 10, of which 5 are spent.
    assertThat(drain(budget)).isEqualTo(5);
    clock.advance(Duration.ofSeconds(5));
    // The first 10 requests and the first 5 retries have left the window.
    assertThat(drain(budget)).isZero();
  }

  @Test
  void releasedRetryCanBeGrantedAgain() {
    RetryBudget budget = RetryBudget.create(config(0.1, 0), clock);
    for (int i = 0; i < 10; i++) {
      budget.recordRequest();
    }
    assertThat(budget.tryAcquireRetry()).isTrue();
    assertThat(budget.tryAcquireRetry()).isFalse();
    budget.releaseRetry();
    assertThat(budget.tryAcquireRetry()).isTrue();
  }

  @Test
  void concurrentCallersNeverOverGrant() throws Exception {
    RetryBudget budget = RetryBudget.create(config(0.2, 1), clock);
    int threads = 16;
    int perThread = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> grants = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        grants.add(
            pool.submit(
                () -> {
                  start.await();
                  int granted = 0;
                  for (int i = 0; i < perThread; i++) {
                    budget.recordRequest();
                    if (budget.tryAcquireRetry()) {
                      granted++;
                    }
                    if (budget.tryAcquireRetry()) {
                      granted++;
                    }
                  }
                  return granted;
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> g : grants) {
        total += g.get();
      }
      // Two retries are asked for per request, so demand always exceeds the allowance.
      assertThat(total).isLessThanOrEqualTo((int) (0.2 * threads * perThread) + 10);
      assertThat(total)
          .isEqualTo((int) (0.2 * threads * perThread) + 10 - (int) budget.remaining());
    }
  }

  @Test
  void rejectsARatioAboveOne() {
    assertThatThrownBy(() -> RetryBudgetConfig.builder().budgetRatio(1.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("budgetRatio must be between 0 and 1, but was 1.5");
  }

  @Test
  void rejectsAWindowThatIsNotAMultipleOfTheBucket() {
    assertThatThrownBy(
            () ->
                RetryBudgetConfig.builder()
                    .window(Duration.ofMillis(2500), Duration.ofSeconds(1))
                    .build())
        .hasMessageContaining("but was PT2.5S");
  }
}
