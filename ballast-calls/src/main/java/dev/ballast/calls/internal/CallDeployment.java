package dev.ballast.calls.internal;

import dev.ballast.calls.Resilience;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Timeouts;
import java.time.Duration;
import java.util.Optional;

/**
 * Call: the provider is asked, with the deployment's upstream model, its timeouts (the first-token
 * timeout learned from recent answers when a fallback exists) capped by what remains of the call's
 * deadline, and the attempt's W3C {@code traceparent} (the attempt's span in the run's trace, the
 * same span telemetry later derives from the journal), so an instrumented upstream joins the trace.
 * The last step of an attempt.
 */
public final class CallDeployment implements AttemptStep {

  private final Resilience resilience;

  public CallDeployment(Resilience resilience) {
    this.resilience = resilience;
  }

  @Override
  public <R> CallAnswer<R> apply(AttemptExchange<R> attempt, Rest<R> rest) {
    Operation<R> op = attempt.exchange().operation();
    CallOptions options =
        new CallOptions(
            attempt.deployment().config().model(),
            timeouts(attempt).cappedAt(op.call().deadline().remaining()),
            op.call().run().attemptTraceparent(attempt.number()));
    R response = op.invoke(attempt, options);
    return CallAnswer.of(response, attempt.deployment(), attempt.ttftMs());
  }

  /**
   * The deployment's timeouts, with its learned first-token timeout when a fallback could take the
   * call: waiting out the configured timeout (30 s by default) is only worth it when nothing else
   * can answer.
   */
  private Timeouts timeouts(AttemptExchange<?> attempt) {
    Timeouts configured = attempt.deployment().config().timeouts();
    if (!attempt.fallback()) {
      return configured;
    }
    Optional<Duration> learned = resilience.learnedFirstToken(attempt.deployment().name());
    if (learned.isEmpty() || learned.get().compareTo(configured.firstToken()) >= 0) {
      return configured;
    }
    attempt.adaptedFirstToken(learned.get());
    return new Timeouts(configured.connect(), learned.get(), configured.idle(), configured.total());
  }
}
