package dev.ballast.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.ProviderException;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.StreamSink;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whatever escapes an attempt gives its bulkhead slot and breaker permit back. Regression: the loop
 * released them only on {@code RuntimeException}, so each {@code StackOverflowError} (from a
 * self-referencing client schema) leaked a slot, and after {@code max_concurrent} of them the
 * deployment refused every tenant with {@code gateway_overloaded}.
 */
class AttemptLoopErrorTest {
  private static final int SLOTS = 2;

  @Test
  void anErrorThrownByAnAttemptReleasesItsSlotAndPermit() {
    BallastConfig config =
        ConfigLoader.parse(
            "loop",
            """
            providers: {p: {type: simulator}}
            deployments: {d: {provider: p, model: m, max_concurrent: %d}}
            groups: {g: {deployments: [d]}}
            tenants: {t: {keys: ["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}
            """
                .formatted(SLOTS),
            Map.of());
    Clock clock = Clock.systemUTC();
    Router router =
        new Router(config, Map.of("d", new Deployment(config.deployments().get("d"), NO_CALLS)));
    Resilience resilience = new Resilience(config, clock);
    AttemptLoop loop = new AttemptLoop(router, resilience);
    GroupConfig group = router.group("g").orElseThrow();

    for (int i = 0; i < SLOTS * 3; i++) {
      Throwable thrown = i % 2 == 0 ? new StackOverflowError() : new OutOfMemoryError("injected");
      assertThatThrownBy(
              () ->
                  loop.run(
                      group,
                      Deadline.after(Duration.ofSeconds(5), clock),
                      Priority.INTERACTIVE,
                      () -> true,
                      (deployment, options) -> {
                        throw sneaky(thrown);
                      },
                      new IgnoringObserver()))
          .isSameAs(thrown);
      assertThat(resilience.bulkhead("d").inUse()).isZero();
    }
    assertThat(resilience.health("d").available()).isTrue();
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }

  private static final class IgnoringObserver implements AttemptLoop.Observer<Object> {
    @Override
    public void succeeded(int a, Deployment d, Object v, long s, String b) {}

    @Override
    public void breakerChanged(String deployment, String from, String to) {}

    @Override
    public void failed(int a, Deployment d, ProviderException e, long s, String b, String x) {}
  }

  private static final Provider NO_CALLS =
      new Provider() {
        @Override
        public String name() {
          return "p";
        }

        @Override
        public String system() {
          return "test";
        }

        @Override
        public ChatResponse chat(ChatRequest request, CallOptions options) {
          throw new AssertionError("not called");
        }

        @Override
        public ChatResponse chatStream(ChatRequest r, CallOptions o, StreamSink sink) {
          throw new AssertionError("not called");
        }

        @Override
        public EmbeddingResponse embed(EmbeddingRequest request, CallOptions options) {
          throw new AssertionError("not called");
        }
      };
}
