package dev.ballast.calls.internal;

import dev.ballast.calls.Deployment;
import dev.ballast.core.journal.Payload;

/**
 * A deployment's answer to one attempt, with what the journal and the tenant's spend need of it.
 *
 * @param ttftMs time to the first token of a streamed answer, null otherwise
 * @param cost the answer's cost in USD from the deployment's price; 0 until {@link #priced}
 * @param payload the normalized answer under the tenant's capture policy, or null
 */
public record CallAnswer<R>(
    R response, Deployment deployment, Double ttftMs, double cost, Payload payload) {

  /** An answer as the deployment sent it, not yet priced. */
  static <R> CallAnswer<R> of(R response, Deployment deployment, Double ttftMs) {
    return new CallAnswer<>(response, deployment, ttftMs, 0, null);
  }

  CallAnswer<R> withResponse(R checked) {
    return new CallAnswer<>(checked, deployment, ttftMs, cost, payload);
  }

  CallAnswer<R> priced(double cost, Payload payload) {
    return new CallAnswer<>(response, deployment, ttftMs, cost, payload);
  }
}
