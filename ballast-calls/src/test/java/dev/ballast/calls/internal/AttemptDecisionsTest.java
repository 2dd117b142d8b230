package dev.ballast.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.calls.Deployment;
import dev.ballast.calls.Resilience;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.journal.Decision;
import dev.ballast.core.spi.Provider;
import dev.ballast.resilience.BreakerState;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.DeploymentHealth;
import dev.ballast.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision after a failed attempt, as a table: every {@link ErrorClass} × where the failed
 * deployment stands on the route (the only one; first of two; last of two) × whether the retry
 * budget grants an extra attempt × whether part of the answer already reached the client. The
 * expected decisions are written out below from docs/resilience.md, not derived from {@link
 * dev.ballast.core.FailureClassification}, so a change to either shows here. A hand-moved clock; no
 * provider is called, no socket opened.
 */
class AttemptDecisionsTest {

  /** How an error class behaves, in the words of docs/resilience.md. */
  private enum Behaviour {
    /**
     * Failed over first when another deployment can take it (with budget); retried on the same
     * deployment only when it is the last option (with budget).
     */
    FAILOVER_THEN_RETRY,
    /** Never retried on the same deployment; failed over (with budget). */
    FAILOVER_ONLY,
    /** Moved to the larger-context group, once. */
    LARGER_CONTEXT,
    /** The failure is the answer. */
    TERMINAL
  }

  private static final Map<ErrorClass, Behaviour> TABLE = new EnumMap<>(ErrorClass.class);

  static {
    // A 429 without Retry-After cools its deployment down for `cooldown` (5 s), longer than the
    // 2 s worth waiting for: it fails over or gives up. Retry-After has its own tests below.
    TABLE.put(ErrorClass.RATE_LIMITED, Behaviour.FAILOVER_ONLY);
    TABLE.put(ErrorClass.SERVER_ERROR, Behaviour.FAILOVER_THEN_RETRY);
    TABLE.put(ErrorClass.CONNECTION_RESET, Behaviour.FAILOVER_THEN_RETRY);
    TABLE.put(ErrorClass.CONNECTION_REFUSED, Behaviour.FAILOVER_THEN_RETRY);
    TABLE.put(ErrorClass.TIMEOUT, Behaviour.FAILOVER_THEN_RETRY);
    TABLE.put(ErrorClass.SILENCE, Behaviour.FAILOVER_ONLY);
    TABLE.put(ErrorClass.SLOW_FIRST_TOKEN, Behaviour.FAILOVER_ONLY);
    TABLE.put(ErrorClass.STREAM_STALL, Behaviour.FAILOVER_ONLY);
    TABLE.put(ErrorClass.STREAM_TRUNCATED, Behaviour.FAILOVER_ONLY);
    TABLE.put(ErrorClass.CONTEXT_LENGTH, Behaviour.LARGER_CONTEXT);
    TABLE.put(ErrorClass.CONTENT_POLICY, Behaviour.TERMINAL);
    TABLE.put(ErrorClass.AUTH, Behaviour.FAILOVER_ONLY);
    TABLE.put(ErrorClass.NOT_FOUND, Behaviour.FAILOVER_ONLY);
    TABLE.put(ErrorClass.BAD_REQUEST, Behaviour.TERMINAL);
    TABLE.put(ErrorClass.FORMAT_VIOLATION, Behaviour.FAILOVER_ONLY);
    TABLE.put(ErrorClass.UPSTREAM_RESPONSE_TOO_LARGE, Behaviour.FAILOVER_ONLY);
    TABLE.put(ErrorClass.OUTPUT_CHECK_FAILED, Behaviour.FAILOVER_ONLY);
    TABLE.put(ErrorClass.MODEL_CHANGED, Behaviour.FAILOVER_ONLY);
    TABLE.put(ErrorClass.DEADLINE_EXCEEDED, Behaviour.TERMINAL);
    TABLE.put(ErrorClass.REJECTED, Behaviour.FAILOVER_ONLY);
  }

  /** Where the failed deployment stands on the route. */
  private enum Position {
    ONLY,
    FIRST_OF_TWO,
    LAST_OF_TWO
  }

  /** The decision journaled, with its target. */
  private static String expected(Behaviour b, Position p, boolean budget, boolean delivered) {
    if (delivered) {
      return "gave_up_after_first_token";
    }
    boolean another = p == Position.FIRST_OF_TWO;
    return switch (b) {
      case TERMINAL -> "gave_up";
      case LARGER_CONTEXT -> "larger_context:long";
      case FAILOVER_THEN_RETRY ->
          !budget ? "gave_up_no_budget_or_route" : another ? "failover:b" : "retry";
      case FAILOVER_ONLY -> budget && another ? "failover:b" : "gave_up_no_budget_or_route";
    };
  }

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();
    for (ErrorClass e : ErrorClass.values()) {
      for (Position p : Position.values()) {
        for (boolean budget : new boolean[] {true, false}) {
          for (boolean delivered : new boolean[] {false, true}) {
            rows.add(
                Arguments.of(
                    e, p, budget, delivered, expected(TABLE.get(e), p, budget, delivered)));
          }
        }
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} {1} budget={2} delivered={3} -> {4}")
  @MethodSource("table")
  void decidesAsTheTableSays(
      ErrorClass error, Position position, boolean budget, boolean delivered, String expected) {
    Fixture f = new Fixture(budget);
    List<Deployment> route = position == Position.ONLY ? f.route("a") : f.route("a", "b");
    int index = position == Position.LAST_OF_TWO ? 1 : 0;

    NextStep next =
        f.decisions.decide(
            new ProviderException(error, "failed"),
            route,
            index,
            0,
            false,
            f.group,
            Deadline.after(Duration.ofSeconds(30), f.clock),
            delivered);

    assertThat(Decision.of(next.decision().journaled(next.target()))).contains(next.decision());
    assertThat(next.decision().journaled(next.target())).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("retriedClasses")
  void aDeploymentRetriedOnceIsFailedOverNext(ErrorClass error) {
    Fixture f = new Fixture(true);

    NextStep next =
        f.decisions.decide(
            new ProviderException(error, "failed"),
            f.route("a", "b"),
            0,
            1,
            false,
            f.group,
            Deadline.after(Duration.ofSeconds(30), f.clock),
            false);

    assertThat(next.decision().journaled(next.target())).isEqualTo("failover:b");
  }

  static Stream<ErrorClass> retriedClasses() {
    return TABLE.entrySet().stream()
        .filter(e -> e.getValue() == Behaviour.FAILOVER_THEN_RETRY)
        .map(Map.Entry::getKey);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("retriedClasses")
  void noRetryWhenItsBackoffCannotFitTheDeadline(ErrorClass error) {
    Fixture f = new Fixture(true);

    NextStep next =
        f.decisions.decide(
            new ProviderException(error, "failed"),
            f.route("a"),
            0,
            0,
            false,
            f.group,
            Deadline.after(Duration.ofMillis(60), f.clock),
            false);

    assertThat(next.kind()).isEqualTo(NextStep.Kind.GIVE_UP);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contextLength")
  void theLargerContextGroupIsTriedOnce(ErrorClass error) {
    Fixture f = new Fixture(true);

    NextStep next =
        f.decisions.decide(
            new ProviderException(error, "too long"),
            f.route("a"),
            0,
            0,
            true,
            f.group,
            Deadline.after(Duration.ofSeconds(30), f.clock),
            false);

    assertThat(next.decision()).isEqualTo(Decision.GAVE_UP);
  }

  static Stream<ErrorClass> contextLength() {
    return Stream.of(ErrorClass.CONTEXT_LENGTH);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("retriedClasses")
  void aFailedHalfOpenProbeFailsOverInsteadOfRetryingTheSameDeployment(ErrorClass error) {
    Fixture f = new Fixture(true);
    DeploymentHealth a = f.resilience.health("a");
    a.acquire().onFailure(ErrorClass.SERVER_ERROR, Duration.ofMillis(5), Optional.empty());
    assertThat(a.state()).isEqualTo(BreakerState.OPEN);
    f.clock.advance(Duration.ofSeconds(2));
    a.acquire().onFailure(error, Duration.ofMillis(5), Optional.empty());
    assertThat(a.state()).isNotEqualTo(BreakerState.CLOSED);

    NextStep probeFirst =
        f.decisions.decide(
            new ProviderException(error, "probe failed"),
            f.route("a", "b"),
            0,
            0,
            false,
            f.group,
            Deadline.after(Duration.ofSeconds(30), f.clock),
            false);
    NextStep probeOnly =
        f.decisions.decide(
            new ProviderException(error, "probe failed"),
            f.route("a"),
            0,
            0,
            false,
            f.group,
            Deadline.after(Duration.ofSeconds(30), f.clock),
            false);

    assertThat(probeFirst.decision().journaled(probeFirst.target())).isEqualTo("failover:b");
    assertThat(probeOnly.kind()).isEqualTo(NextStep.Kind.GIVE_UP);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("retriedClasses")
  void theSameDeploymentIsRetriedWhenTheOtherOnTheRouteIsUnavailable(ErrorClass error) {
    Fixture f = new Fixture(true);
    f.resilience
        .health("b")
        .acquire()
        .onFailure(ErrorClass.SERVER_ERROR, Duration.ofMillis(5), Optional.empty());

    NextStep next =
        f.decisions.decide(
            new ProviderException(error, "failed"),
            f.route("a", "b"),
            0,
            0,
            false,
            f.group,
            Deadline.after(Duration.ofSeconds(30), f.clock),
            false);

    assertThat(next.decision().journaled(next.target())).isEqualTo("retry");
  }

  private static NextStep afterRateLimit(
      Fixture f, Duration retryAfter, int routeLength, Duration deadline) {
    return f.decisions.decide(
        new ProviderException(
            ErrorClass.RATE_LIMITED, 429, null, retryAfter, "slow down", null, null),
        routeLength == 1 ? f.route("a") : f.route("a", "b"),
        0,
        0,
        false,
        f.group,
        Deadline.after(deadline, f.clock),
        false);
  }

  @Test
  void aShortRetryAfterIsWaitedForOnTheSameDeploymentEvenWhenAnotherCouldAnswer() {
    NextStep next =
        afterRateLimit(new Fixture(true), Duration.ofSeconds(2), 2, Duration.ofSeconds(30));

    assertThat(next.kind()).isEqualTo(NextStep.Kind.RETRY);
    assertThat(next.delay()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aRetryAfterLongerThanTheBoundFailsOver() {
    NextStep next =
        afterRateLimit(new Fixture(true), Duration.ofMillis(2001), 2, Duration.ofSeconds(30));

    assertThat(next.decision().journaled(next.target())).isEqualTo("failover:b");
  }

  @Test
  void aRetryAfterLongerThanTheBoundOnTheLastDeploymentGivesUpRatherThanWaiting() {
    NextStep next =
        afterRateLimit(new Fixture(true), Duration.ofSeconds(20), 1, Duration.ofSeconds(60));

    assertThat(next.decision()).isEqualTo(Decision.GAVE_UP_NO_BUDGET_OR_ROUTE);
  }

  @Test
  void aShortRetryAfterThatTheDeadlineCannotFitFailsOver() {
    NextStep next =
        afterRateLimit(new Fixture(true), Duration.ofSeconds(1), 2, Duration.ofMillis(1500));

    assertThat(next.decision().journaled(next.target())).isEqualTo("failover:b");
  }

  @Test
  void theBoundIsConfigurable() {
    NextStep next =
        afterRateLimit(
            new Fixture(true, "max_retry_after_wait: 10s"),
            Duration.ofSeconds(8),
            2,
            Duration.ofSeconds(30));

    assertThat(next.kind()).isEqualTo(NextStep.Kind.RETRY);
    assertThat(next.delay()).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void aRateLimitedDeploymentWaitedForOnceIsNotWaitedForAgain() {
    Fixture f = new Fixture(true);
    NextStep next =
        f.decisions.decide(
            new ProviderException(
                ErrorClass.RATE_LIMITED, 429, null, Duration.ofSeconds(1), "again", null, null),
            f.route("a"),
            0,
            1,
            false,
            f.group,
            Deadline.after(Duration.ofSeconds(30), f.clock),
            false);

    assertThat(next.kind()).isEqualTo(NextStep.Kind.GIVE_UP);
  }

  /** A configuration with deployments a and b in group g, and a budget that grants all or none. */
  /**
   * The brownout benchmark's ballast-no-breaker row, decided on a hand-moved clock: 50 requests/s,
   * the first of two deployments failing every other one with a 503 and a breaker that never opens,
   * every other setting at its default. Failover comes first, but each failover is an extra attempt
   * from the global retry budget (20 % of the window's first attempts plus 3/s over 10 s): 13 of
   * the 25 failures a second fail over, the rest give up. With the failing deployment asked first
   * for every request, answering 99.5 % would take 1.495 attempts per request; a budget that holds
   * attempts to 1.2 per request caps the answered share near 0.5 + 0.26, which is the 76.4 %
   * measured with that route. Meeting both takes the failing deployment off the front of the route:
   * the breaker, or, when it stays closed, the route's demotion of a deployment failing half its
   * calls ({@code SpreadLoadTest}), which this fixed route leaves out.
   */
  @Test
  void withoutABreakerABrownoutFailsOverOnlyAsFarAsTheGlobalRetryBudgetReaches() {
    String yaml =
        """
        providers:
          fake: {type: simulator}
        deployments:
          a: {provider: fake, model: up-a}
          b: {provider: fake, model: up-b}
        groups:
          g: {deployments: [a, b]}
        tenants:
          team: {keys: ["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}
        resilience:
          breaker: {failure_rate: 100, window: 100000}
        """;
    MutableClock clock = new MutableClock();
    BallastConfig config = ConfigLoader.parse("no-breaker", yaml, Map.of());
    Resilience resilience = new Resilience(config, clock);
    AttemptDecisions decisions = new AttemptDecisions(resilience);
    GroupConfig group = config.group("g").orElseThrow();
    List<Deployment> route = new ArrayList<>();
    for (String n : List.of("a", "b")) {
      route.add(new Deployment(config.deployments().get(n), (Provider) null));
    }
    Map<String, Integer> lastTenSeconds = new java.util.TreeMap<>();
    int requests = 50 * 30;
    for (int i = 0; i < requests; i++) {
      clock.advance(Duration.ofMillis(20));
      resilience.budgets().recordRequest("a");
      if (i % 2 == 1) {
        continue; // answered by a
      }
      resilience
          .health("a")
          .acquire()
          .onFailure(ErrorClass.SERVER_ERROR, Duration.ofMillis(20), Optional.empty());
      NextStep next =
          decisions.decide(
              new ProviderException(ErrorClass.SERVER_ERROR, "503"),
              route,
              0,
              0,
              false,
              group,
              Deadline.after(Duration.ofSeconds(60), clock),
              false);
      if (i >= requests - 500) {
        lastTenSeconds.merge(next.decision().journaled(next.target()), 1, Integer::sum);
      }
    }

    assertThat(resilience.health("a").state()).isEqualTo(BreakerState.CLOSED);
    // 250 failures in the last 10 s; 0.2 × 500 + 3 × 10 = 130 of them fail over.
    assertThat(lastTenSeconds.keySet())
        .containsExactlyInAnyOrder("failover:b", "gave_up_no_budget_or_route");
    assertThat(lastTenSeconds.get("failover:b")).isBetween(125, 135);
    assertThat(lastTenSeconds.get("gave_up_no_budget_or_route")).isBetween(115, 125);
  }

  private static final class Fixture {
    final MutableClock clock = new MutableClock();
    final BallastConfig config;
    final Resilience resilience;
    final AttemptDecisions decisions;
    final GroupConfig group;

    Fixture(boolean budget) {
      this(budget, "");
    }

    Fixture(boolean budget, String extra) {
      String yaml =
          """
          providers:
            fake: {type: simulator}
          deployments:
            a: {provider: fake, model: up-a}
            b: {provider: fake, model: up-b}
            c: {provider: fake, model: up-c}
          groups:
            g: {deployments: [a, b], larger_context: long}
            long: {deployments: [c]}
          tenants:
            team: {keys: ["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}
          resilience:
            max_retries_per_deployment: 1
            breaker: {window: 1, failure_rate: 50, open_wait: 1s, half_open_probes: 1}
            retry_budget: %s
            %s
          """
              .formatted(
                  budget
                      ? "{ratio: 1.0, floor_per_second: 1000}"
                      : "{ratio: 0.0, floor_per_second: 0}",
                  extra);
      this.config = ConfigLoader.parse("decisions", yaml, Map.of());
      this.resilience = new Resilience(config, clock);
      this.decisions = new AttemptDecisions(resilience);
      this.group = config.group("g").orElseThrow();
    }

    List<Deployment> route(String... names) {
      List<Deployment> route = new ArrayList<>();
      for (String n : names) {
        route.add(new Deployment(config.deployments().get(n), (Provider) null));
      }
      return route;
    }
  }
}
