package dev.ballast.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.config.TenantLimits;
import dev.ballast.core.limits.LimitExchange;
import dev.ballast.core.limits.LimitGrant;
import dev.ballast.core.limits.LimitKind;
import dev.ballast.core.spi.LimitStore;
import dev.ballast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Admission reserves before and settles after, so concurrent calls cannot pass the budget. */
class AdmissionTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final Admission admission = new Admission(clock);

  private static TenantConfig tenant(TenantLimits limits) {
    return new TenantConfig("acme", List.of(), true, List.of(), "interactive", limits);
  }

  @Test
  void concurrentCallsAreAdmittedOnlyAsFarAsTheirReservationsFit() throws Exception {
    TenantConfig acme = tenant(TenantLimits.of(0, 0, 1.0));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Boolean>> admitted = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Callable<Boolean> call =
            () -> {
              try {
                admission.admit(acme, Origin.CLIENT, new Admission.Demand(10, 0.3));
                return true;
              } catch (BudgetExceededException e) {
                return false;
              }
            };
        admitted.add(pool.submit(call));
      }
      int count = 0;
      for (Future<Boolean> f : admitted) {
        count += f.get() ? 1 : 0;
      }
      assertThat(count).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSettledCallFreesWhatItDidNotSpendAndTheSpendStays() {
    TenantConfig acme = tenant(TenantLimits.of(0, 0, 1.0));
    Admission.Ticket first = admission.admit(acme, Origin.CLIENT, new Admission.Demand(10, 0.6));
    assertThatThrownBy(() -> admission.admit(acme, Origin.CLIENT, new Admission.Demand(10, 0.6)))
        .isInstanceOf(BudgetExceededException.class);

    admission.settle(first, 5, 0.2);
    Admission.Ticket second = admission.admit(acme, Origin.CLIENT, new Admission.Demand(10, 0.6));
    admission.requireBudget(acme);
    // A cost above its reservation is counted whole: the budget is then spent.
    admission.settle(second, 5, 0.8);

    assertThatThrownBy(() -> admission.requireBudget(acme))
        .isInstanceOf(BudgetExceededException.class);
    clock.advance(Duration.ofSeconds(10));
    admission.close();
    assertThat(admission.spentUsd("acme"))
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void aPipelineCallReservesAgainstTheBudgetButNotThePerMinuteLimits() {
    TenantConfig acme = tenant(TenantLimits.of(1, 0, 1.0));
    admission.admit(acme, Origin.CLIENT, new Admission.Demand(10, 0.1));

    admission.admit(acme, Origin.PIPELINE, new Admission.Demand(10, 0.1));
    assertThatThrownBy(() -> admission.admit(acme, Origin.CLIENT, new Admission.Demand(10, 0.1)))
        .isInstanceOf(TenantLimitExceededException.class);
    assertThatThrownBy(() -> admission.admit(acme, Origin.PIPELINE, new Admission.Demand(10, 0.9)))
        .isInstanceOf(BudgetExceededException.class);
  }

  @Test
  void aCanaryIsNeverRefused() {
    TenantConfig acme = tenant(TenantLimits.of(1, 1, 0.000001));

    for (int i = 0; i < 5; i++) {
      admission.admit(acme, Origin.CANARY, new Admission.Demand(100, 10));
    }
  }

  @Test
  void aStoreThatCannotBeReachedRefusesWithA503RatherThanAdmittingUnchecked() {
    LimitStore down =
        new LimitStore() {
          @Override
          public LimitGrant exchange(LimitExchange exchange) {
            throw new IllegalStateException("connection refused");
          }

          @Override
          public long used(String tenant, LimitKind kind, Instant now) {
            throw new IllegalStateException("connection refused");
          }
        };
    Admission shared = Admission.shared(down, "n1", clock);
    try {
      TenantConfig acme = tenant(TenantLimits.of(10, 0, 0));

      assertThatThrownBy(() -> shared.admit(acme, Origin.CLIENT, new Admission.Demand(1, 0)))
          .isInstanceOfSatisfying(
              LimitsUnavailableException.class,
              e -> {
                FailureAnswer answer = CallFailures.answer(e).orElseThrow();
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.code()).isEqualTo("limits_unavailable");
                assertThat(answer.retryAfterSeconds()).isEqualTo(1L);
              });
    } finally {
      shared.close();
    }
  }
}
