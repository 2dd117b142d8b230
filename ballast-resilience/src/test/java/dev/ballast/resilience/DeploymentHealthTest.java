package dev.ballast.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.ErrorClass;
import dev.ballast.resilience.DeploymentHealth.Transition;
import dev.ballast.resilience.DeploymentUnavailableException.Reason;
import dev.ballast.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DeploymentHealthTest {
  private static final Duration FAST = Duration.ofMillis(200);

  private final MutableClock clock = new MutableClock();
  private final BreakerConfig config =
      BreakerConfig.builder()
          .window(BreakerConfig.WindowType.COUNT_BASED, 10, 4)
          .failureRateThreshold(50)
          .slowCalls(100, Duration.ofSeconds(30))
          .waitInOpenState(Duration.ofSeconds(30))
          .halfOpenProbes(2)
          .cooldown(Duration.ofSeconds(5), Duration.ofSeconds(60))
          .build();
  private final DeploymentHealth health = DeploymentHealth.create("gpt-east", config, clock);
  private final List<Transition> transitions = new CopyOnWriteArrayList<>();

  {
    health.onTransition(transitions::add);
  }

  private void fail(ErrorClass error, int times) {
    for (int i = 0; i < times; i++) {
      health.acquire().onFailure(error, FAST, Optional.empty());
    }
  }

  private void succeed(int times) {
    for (int i = 0; i < times; i++) {
      health.acquire().onSuccess(FAST);
    }
  }

  private void open() {
    succeed(2);
    fail(ErrorClass.SERVER_ERROR, 2);
  }

  @Test
  void opensAtTheFailureRate() {
    succeed(2);
    fail(ErrorClass.SERVER_ERROR, 1);
    assertThat(health.state()).isEqualTo(BreakerState.CLOSED);
    fail(ErrorClass.TIMEOUT, 1);
    assertThat(health.state()).isEqualTo(BreakerState.OPEN);
    assertThat(transitions)
        .containsExactly(
            new Transition("gpt-east", BreakerState.CLOSED, BreakerState.OPEN, clock.instant()));
  }

  @Test
  void skipsTheDeploymentWhileOpen() {
    open();
    clock.advance(Duration.ofSeconds(29));
    assertThat(health.available()).isFalse();
    assertThatThrownBy(health::acquire)
        .isInstanceOfSatisfying(
            DeploymentUnavailableException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.BREAKER_OPEN);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
            });
  }

  @Test
  void letsOnlyTheConfiguredProbesThroughAfterTheWait() {
    open();
    clock.advance(Duration.ofSeconds(31));
    assertThat(health.available()).isTrue();
    DeploymentHealth.Permit first = health.acquire();
    assertThat(health.state()).isEqualTo(BreakerState.HALF_OPEN);
    DeploymentHealth.Permit second = health.acquire();
    assertThat(health.available()).isFalse();
    assertThatThrownBy(health::acquire).isInstanceOf(DeploymentUnavailableException.class);
    first.onSuccess(FAST);
    second.onSuccess(FAST);
    assertThat(health.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(transitions)
        .extracting(Transition::to)
        .containsExactly(BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED);
  }

  @Test
  void availableDoesNotConsumeAHalfOpenProbe() {
    open();
    clock.advance(Duration.ofSeconds(31));
    for (int i = 0; i < 10; i++) {
      assertThat(health.available()).isTrue();
    }
    health.acquire();
    health.acquire();
    assertThat(health.available()).isFalse();
  }

  @Test
  void failedProbeOpensAgain() {
    open();
    clock.advance(Duration.ofSeconds(31));
    fail(ErrorClass.SERVER_ERROR, 2);
    assertThat(health.state()).isEqualTo(BreakerState.OPEN);
    assertThat(health.available()).isFalse();
  }

  @Test
  void slowSuccessesCountAsSlowCalls() {
    for (int i = 0; i < 4; i++) {
      health.acquire().onSuccess(Duration.ofSeconds(31));
    }
    assertThat(health.state()).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void rateLimitCoolsDownWithoutOpeningTheBreaker() {
    for (int i = 0; i < 10; i++) {
      health.acquire().onFailure(ErrorClass.RATE_LIMITED, FAST, Optional.of(Duration.ofSeconds(2)));
      clock.advance(Duration.ofSeconds(2));
    }
    assertThat(health.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(transitions).isEmpty();
  }

  @Test
  void rateLimitSkipsTheDeploymentUntilRetryAfter() {
    health.acquire().onFailure(ErrorClass.RATE_LIMITED, FAST, Optional.of(Duration.ofSeconds(7)));
    assertThat(health.available()).isFalse();
    assertThatThrownBy(health::acquire)
        .isInstanceOfSatisfying(
            DeploymentUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.COOLING_DOWN));
    clock.advance(Duration.ofSeconds(7));
    assertThat(health.available()).isTrue();
    assertThat(health.cooldownUntil()).isEmpty();
  }

  @Test
  void rateLimitWithoutRetryAfterUsesTheDefaultCooldown() {
    health.acquire().onFailure(ErrorClass.RATE_LIMITED, FAST, Optional.empty());
    assertThat(health.cooldownUntil()).contains(clock.instant().plusSeconds(5));
  }

  @Test
  void retryAfterIsCappedAtTheMaximumCooldown() {
    health.acquire().onFailure(ErrorClass.RATE_LIMITED, FAST, Optional.of(Duration.ofHours(1)));
    assertThat(health.cooldownUntil()).contains(clock.instant().plusSeconds(60));
  }

  @Test
  void rateLimitedProbeReturnsItsPermit() {
    open();
    clock.advance(Duration.ofSeconds(31));
    health.acquire().onFailure(ErrorClass.RATE_LIMITED, FAST, Optional.of(Duration.ofSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    assertThat(health.state()).isEqualTo(BreakerState.HALF_OPEN);
    succeed(2);
    assertThat(health.state()).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void contextLengthAndContentPolicyDoNotCount() {
    fail(ErrorClass.CONTEXT_LENGTH, 5);
    fail(ErrorClass.CONTENT_POLICY, 5);
    fail(ErrorClass.BAD_REQUEST, 5);
    assertThat(health.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(health.available()).isTrue();
  }

  @Test
  void authFailuresCount() {
    fail(ErrorClass.AUTH, 4);
    assertThat(health.state()).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void completingAPermitTwiceCountsOnce() {
    succeed(2);
    DeploymentHealth.Permit permit = health.acquire();
    permit.onFailure(ErrorClass.SERVER_ERROR, FAST, Optional.empty());
    permit.onFailure(ErrorClass.SERVER_ERROR, FAST, Optional.empty());
    assertThat(health.state()).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void aThrowingListenerDoesNotBreakTheCall() {
    health.onTransition(
        t -> {
          throw new IllegalStateException("journal down");
        });
    open();
    assertThat(health.state()).isEqualTo(BreakerState.OPEN);
    assertThat(transitions).hasSize(1);
  }

  @Test
  void aPermitsListenerHearsTheTransitionItsFailureCaused() {
    succeed(2);
    fail(ErrorClass.SERVER_ERROR, 1);
    List<Transition> mine = new CopyOnWriteArrayList<>();
    DeploymentHealth.Permit tripping = health.acquire(mine::add);
    tripping.onFailure(ErrorClass.SERVER_ERROR, FAST, Optional.empty());
    assertThat(mine)
        .containsExactly(
            new Transition("gpt-east", BreakerState.CLOSED, BreakerState.OPEN, clock.instant()));
  }

  @Test
  void aPermitsListenerHearsOnlyItsOwnTransitions() {
    succeed(2);
    fail(ErrorClass.SERVER_ERROR, 1);
    List<Transition> bystander = new CopyOnWriteArrayList<>();
    DeploymentHealth.Permit innocent = health.acquire(bystander::add);
    fail(ErrorClass.SERVER_ERROR, 1);
    innocent.release();
    assertThat(health.state()).isEqualTo(BreakerState.OPEN);
    assertThat(bystander).isEmpty();
  }

  @Test
  void theProbeAdmittedAfterTheWaitHearsTheHalfOpenTransitionItCaused() {
    open();
    clock.advance(Duration.ofSeconds(31));
    List<Transition> probe = new CopyOnWriteArrayList<>();
    health.acquire(probe::add).onSuccess(FAST);
    assertThat(probe).extracting(Transition::to).containsExactly(BreakerState.HALF_OPEN);
  }

  @Test
  void rejectsAFailureRateAboveOneHundred() {
    assertThatThrownBy(() -> BreakerConfig.builder().failureRateThreshold(120).build())
        .hasMessage("failureRateThreshold must be between 0 and 100, but was 120.0");
  }
}
