package dev.ballast.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetsTest {
  private final MutableClock clock = new MutableClock();

  private static RetryBudgetConfig ratio(double ratio) {
    return RetryBudgetConfig.builder()
        .budgetRatio(ratio)
        .window(Duration.ofSeconds(10), Duration.ofSeconds(1))
        .minRetriesPerSecond(0)
        .build();
  }

  @Test
  void retryNeedsBudgetFromTheDeploymentAndTheGlobalBudget() {
    RetryBudgets budgets = new RetryBudgets(ratio(0.5), ratio(0.1), clock);
    for (int i = 0; i < 10; i++) {
      budgets.recordRequest("a");
    }
    // The deployment allows 5, the global budget only 1.
    assertThat(budgets.tryAcquire("a")).isTrue();
    assertThat(budgets.tryAcquire("a")).isFalse();
  }

  @Test
  void refusalByTheGlobalBudgetLeavesTheDeploymentBudgetUntouched() {
    RetryBudgets budgets = new RetryBudgets(ratio(0.5), ratio(0.1), clock);
    for (int i = 0; i < 10; i++) {
      budgets.recordRequest("a");
    }
    budgets.tryAcquire("a");
    budgets.tryAcquire("a");
    assertThat(budgets.forDeployment("a").remaining()).isEqualTo(4.0);
  }

  @Test
  void aDeploymentWithoutTrafficCannotSpendAnothersBudget() {
    RetryBudgets budgets = new RetryBudgets(ratio(0.5), ratio(0.5), clock);
    for (int i = 0; i < 10; i++) {
      budgets.recordRequest("a");
    }
    assertThat(budgets.tryAcquire("b")).isFalse();
    assertThat(budgets.global().remaining()).isEqualTo(5.0);
  }
}
