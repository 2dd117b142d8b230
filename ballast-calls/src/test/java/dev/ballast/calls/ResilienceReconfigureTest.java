package dev.ballast.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a reload keeps of each deployment's resilience state, and what it starts afresh. */
class ResilienceReconfigureTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Instant LATER = Instant.parse("2030-01-01T00:05:00Z");

  private static BallastConfig config(String a, String b, int maxConcurrent, String resilience) {
    return ConfigLoader.parse(
        "test",
        """
        providers: {sim: {type: simulator}}
        deployments:
          a: {provider: sim, model: "%s", max_concurrent: %d}
          b: {provider: sim, model: "%s"}
        groups: {default: {deployments: [a, b]}}
        tenants: {t: {keys: ["%s"]}}
        %s
        """
            .formatted(a, maxConcurrent, b, ConfigLoader.hashKey("bk-r"), resilience),
        Map.of());
  }

  @Test
  void aDeploymentStillPointingAtTheSameModelKeepsItsStateAndARepointedOneStartsAfresh() {
    Resilience resilience = new Resilience(config("sim", "sim", 4, ""), CLOCK);
    resilience.health("a").cooldownUntil(LATER);
    resilience.health("b").cooldownUntil(LATER);
    var bulkheadA = resilience.bulkhead("a");

    resilience.reconfigure(config("sim", "sim:latency=1ms", 4, ""));

    assertThat(resilience.health("a").cooldownUntil()).contains(LATER);
    assertThat(resilience.bulkhead("a")).isSameAs(bulkheadA);
    assertThat(resilience.health("b").cooldownUntil()).isEmpty();
  }

  @Test
  void aChangedMaxConcurrentGetsANewBulkheadAndChangedBreakerSettingsResetEveryBreaker() {
    Resilience resilience = new Resilience(config("sim", "sim", 4, ""), CLOCK);
    resilience.health("a").cooldownUntil(LATER);
    var bulkheadA = resilience.bulkhead("a");

    resilience.reconfigure(config("sim", "sim", 8, "resilience: {breaker: {failure_rate: 20}}"));

    assertThat(resilience.bulkhead("a")).isNotSameAs(bulkheadA);
    assertThat(resilience.health("a").cooldownUntil()).isEmpty();
  }

  @Test
  void aRemovedDeploymentLeavesTheListingButStaysForCallsInFlight() {
    Resilience resilience = new Resilience(config("sim", "sim", 4, ""), CLOCK);

    resilience.reconfigure(
        ConfigLoader.parse(
            "test",
            """
            providers: {sim: {type: simulator}}
            deployments: {a: {provider: sim, model: sim}}
            groups: {default: {deployments: [a]}}
            tenants: {t: {keys: ["%s"]}}
            """
                .formatted(ConfigLoader.hashKey("bk-r")),
            Map.of()));

    assertThat(resilience.allHealth()).containsOnlyKeys("a");
    assertThat(resilience.health("b")).isNotNull();
    assertThat(resilience.bulkhead("b")).isNotNull();
  }
}
