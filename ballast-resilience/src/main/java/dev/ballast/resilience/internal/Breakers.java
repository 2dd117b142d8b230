package dev.ballast.resilience.internal;

import dev.ballast.resilience.BreakerConfig;
import dev.ballast.resilience.BreakerState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** Translates Ballast's breaker settings and states to and from Resilience4j's. */
final class Breakers {
  private Breakers() {}

  static CircuitBreaker create(String name, BreakerConfig config, Clock clock) {
    CircuitBreakerConfig r4j =
        CircuitBreakerConfig.custom()
            .slidingWindow(
                config.windowSize(),
                config.minimumCalls(),
                config.windowType() == BreakerConfig.WindowType.COUNT_BASED
                    ? SlidingWindowType.COUNT_BASED
                    : SlidingWindowType.TIME_BASED)
            .failureRateThreshold(config.failureRateThreshold())
            .slowCallRateThreshold(config.slowCallRateThreshold())
            .slowCallDurationThreshold(config.slowCallDuration())
            .waitDurationInOpenState(config.waitInOpenState())
            .permittedNumberOfCallsInHalfOpenState(config.halfOpenProbes())
            // Open -> half-open happens on the next permission request, measured on our clock;
            // the automatic transition would need a scheduler thread and real time.
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .clock(clock)
            .currentTimestampFunction(Clock::millis, TimeUnit.MILLISECONDS)
            .build();
    return CircuitBreaker.of(name, r4j);
  }

  static BreakerState state(CircuitBreaker.State state) {
    return switch (state) {
      case CLOSED -> BreakerState.CLOSED;
      case OPEN -> BreakerState.OPEN;
      case HALF_OPEN -> BreakerState.HALF_OPEN;
      case DISABLED -> BreakerState.DISABLED;
      case METRICS_ONLY -> BreakerState.METRICS_ONLY;
      case FORCED_OPEN -> BreakerState.FORCED_OPEN;
    };
  }
}
