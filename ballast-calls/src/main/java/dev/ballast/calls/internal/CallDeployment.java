package dev.ballast.calls.internal;

import dev.ballast.core.spi.CallOptions;

/**
 * Call: the provider is asked, with the deployment's upstream model, its timeouts capped by what
 * remains of the call's deadline, and the attempt's W3C {@code traceparent} (the attempt's span in
 * the run's trace, the same span telemetry later derives from the journal), so an instrumented
 * upstream joins the trace. The last step of an attempt.
 */
public final class CallDeployment implements AttemptStep {

  @Override
  public <R> CallAnswer<R> apply(AttemptExchange<R> attempt, Rest<R> rest) {
    Operation<R> op = attempt.exchange().operation();
    CallOptions options =
        new CallOptions(
            attempt.deployment().config().model(),
            attempt.deployment().config().timeouts().cappedAt(op.call().deadline().remaining()),
            op.call().run().attemptTraceparent(attempt.number()));
    R response = op.invoke(attempt, options);
    return CallAnswer.of(response, attempt.deployment(), attempt.ttftMs());
  }
}
