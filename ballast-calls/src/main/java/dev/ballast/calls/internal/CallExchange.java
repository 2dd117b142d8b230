package dev.ballast.calls.internal;

import dev.ballast.calls.Deployment;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.Usage;
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
  private int unansweredOutputTokens;
  private double unansweredCost;
  private final StringBuilder deliveredText = new StringBuilder();
  private boolean toolCallDelivered;
  private int continuations;
  private Usage carriedUsage;
  private double carriedCost;

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
   * failed over; a failure is continued ({@link Continuations}) or ends the stream with an error
   * instead of answering again.
   */
  public boolean delivered() {
    return delivered;
  }

  /** Notes a delta that reached the client: its text extends the answer a continuation resumes. */
  void delivered(ChatDelta delta) {
    delivered = true;
    if (delta.content() != null) {
      deliveredText.append(delta.content());
    }
    if (!delta.toolCalls().isEmpty()) {
      toolCallDelivered = true;
    }
  }

  /** The text of the answer that reached the client, over every attempt. */
  String deliveredText() {
    return deliveredText.toString();
  }

  /** Whether part of a tool call reached the client: such a stream is never continued. */
  boolean toolCallDelivered() {
    return toolCallDelivered;
  }

  /** How many times the stream was continued. */
  int continuations() {
    return continuations;
  }

  /**
   * Notes that the next attempt continues the stream, carrying what the failed one delivered: its
   * usage becomes part of the answer's usage (the sum over the attempts the client's text came
   * from).
   */
  void continued(Usage delivered, double cost) {
    continuations++;
    if (delivered != null) {
      carriedUsage = Usages.plus(carriedUsage, delivered);
      carriedCost += cost;
    }
  }

  /** The usage of the earlier attempts whose text the answer continues; null when none. */
  Usage carriedUsage() {
    return carriedUsage;
  }

  double carriedCost() {
    return carriedCost;
  }

  /**
   * Adds what a failed attempt delivered and the provider will bill although the call got no answer
   * from it, so that the tenant's spend follows the bill.
   */
  void spentWithoutAnswer(int outputTokens, double cost) {
    unansweredOutputTokens += outputTokens;
    unansweredCost += cost;
  }

  int unansweredOutputTokens() {
    return unansweredOutputTokens;
  }

  /** The cost of failed attempts the provider bills, on top of the answer's own. */
  public double unansweredCost() {
    return unansweredCost;
  }

  double millisSinceStart() {
    return (System.nanoTime() - startNanos) / 1e6;
  }
}
