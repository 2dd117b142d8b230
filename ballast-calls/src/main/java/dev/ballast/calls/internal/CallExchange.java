package dev.ballast.calls.internal;

import dev.ballast.calls.Deployment;
import dev.ballast.core.config.GroupConfig;
import java.util.List;

/**
 * One model call on its way through the chain: what was asked ({@link #operation}) and what the
 * steps have learned so far (the group and route, whether part of the answer reached the client).
 * It is passed from step to step instead of being kept in a thread-local or called back into. Not
 * thread-safe: a call is served by one thread.
 */
public final class CallExchange<R> {
  private final Operation<R> operation;
  private GroupConfig group;
  private List<Deployment> route;
  private long startNanos;
  private boolean delivered;

  public CallExchange(Operation<R> operation) {
    this.operation = operation;
  }

  public Operation<R> operation() {
    return operation;
  }

  /** The model group the call is routed in; set by {@link ResolveRoute}. */
  public GroupConfig group() {
    return group;
  }

  /** The deployments to try, in order; set by {@link ResolveRoute}. */
  public List<Deployment> route() {
    return route;
  }

  void routed(GroupConfig group, List<Deployment> route) {
    this.group = group;
    this.route = List.copyOf(route);
  }

  /** When the run started, from {@link System#nanoTime()}; set by {@link JournalRun}. */
  long startNanos() {
    return startNanos;
  }

  void started(long nanos) {
    this.startNanos = nanos;
  }

  /**
   * Whether part of a streamed answer has reached the client: from then on nothing is retried or
   * failed over, and a failure ends the stream with an error instead of answering again.
   */
  public boolean delivered() {
    return delivered;
  }

  void markDelivered() {
    this.delivered = true;
  }

  double millisSinceStart() {
    return (System.nanoTime() - startNanos) / 1e6;
  }
}
