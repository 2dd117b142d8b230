package dev.ballast.calls.internal;

import dev.ballast.calls.Deployment;
import dev.ballast.calls.Resilience;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.FailureClassification;
import dev.ballast.core.FailureClassification.BreakerEffect;
import dev.ballast.core.FailureClassification.Disposition;
import dev.ballast.core.FailureClassification.Failover;
import dev.ballast.core.ProviderException;
import dev.ballast.core.config.ContinuationMode;
import dev.ballast.core.journal.Decision;
import dev.ballast.resilience.Deadline;
import java.util.List;
import java.util.Locale;

/**
 * Decide, for a stream whose first part reached the client: continue it on the next available
 * deployment of the route, or on the same one when none is left, instead of ending the client's
 * stream with an error.
 *
 * <p>A stream is continued only when the group allows it ({@code continue_streams}), the failure
 * broke the transport or the provider rather than judged the answer (the failure table's failover
 * is {@code ANY} and it counts for the breaker: a cut, a stall, a 5xx or an error event, never a
 * content policy or a format violation), nothing of a tool call reached the client (half a call
 * cannot be spliced), fewer than {@value #MAX_CONTINUATIONS} continuations were made, the deadline
 * still fits an attempt and the global retry budget grants one. A prefill that the deployment
 * rejected with a 400 saying so is asked again at once on the same deployment by instruction.
 */
final class Continuations {
  /** The most continuations of one call: a deployment that keeps cutting is not chased for ever. */
  static final int MAX_CONTINUATIONS = 3;

  private final Resilience resilience;

  Continuations(Resilience resilience) {
    this.resilience = resilience;
  }

  /** The continuation after {@code e}, or null when the stream cannot be continued. */
  NextStep decide(
      ProviderException e,
      AttemptExchange<?> attempt,
      List<Deployment> route,
      int index,
      Deadline deadline) {
    CallExchange<?> call = attempt.exchange();
    if (!deadline.fits(resilience.minAttemptTime())) {
      return null;
    }
    if (attempt.continuation() != null
        && attempt.continuation().form() == ContinuationMode.PREFILL
        && rejectsPrefill(e)) {
      // Nothing was generated: the same deployment is asked again, by instruction.
      resilience.prefillRejected(attempt.deployment().name());
      return continueOn(route, index);
    }
    if (!continuable(e, call)) {
      return null;
    }
    for (int j = index + 1; j < route.size(); j++) {
      if (candidate(route.get(j))) {
        return continueOn(route, j);
      }
    }
    return candidate(route.get(index)) ? continueOn(route, index) : null;
  }

  private boolean continuable(ProviderException e, CallExchange<?> call) {
    Disposition d = FailureClassification.of(e.errorClass());
    return call.operation().stream() != null
        && call.group().continueStreams()
        && !call.toolCallDelivered()
        && !call.deliveredText().isEmpty()
        && call.continuations() < MAX_CONTINUATIONS
        && d.failover() == Failover.ANY
        && d.breaker() != BreakerEffect.NONE;
  }

  private boolean candidate(Deployment d) {
    return resilience.continuation(d.name()) != ContinuationMode.NONE
        && resilience.health(d.name()).available()
        && resilience.budgets().global().tryAcquireRetry();
  }

  private static NextStep continueOn(List<Deployment> route, int index) {
    return new NextStep(
        NextStep.Kind.CONTINUE, index, null, Decision.CONTINUE, route.get(index).name());
  }

  /**
   * Whether a 400 says the deployment takes no assistant prefill (Anthropic: "does not support
   * assistant message prefill"; other servers: the conversation must end with a user message).
   */
  static boolean rejectsPrefill(ProviderException e) {
    if (e.errorClass() != ErrorClass.BAD_REQUEST || e.getMessage() == null) {
      return false;
    }
    String m = e.getMessage().toLowerCase(Locale.ROOT);
    return m.contains("prefill") || (m.contains("must end with") && m.contains("user"));
  }
}
