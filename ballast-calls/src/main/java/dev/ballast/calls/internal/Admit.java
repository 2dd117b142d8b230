package dev.ballast.calls.internal;

import dev.ballast.calls.Admission;
import dev.ballast.calls.Deployment;
import dev.ballast.calls.ModelCall;
import dev.ballast.core.config.Price;

/**
 * Admission: the tenant's limits before any upstream call (those its {@link
 * dev.ballast.calls.Origin} is subject to), with the call's largest cost reserved against the
 * budget; after it, whatever it ended with, its output tokens and its cost settled in place of the
 * reservation (see {@code docs/limits.md}).
 */
public final class Admit implements CallStep {
  private final Admission admission;

  public Admit(Admission admission) {
    this.admission = admission;
  }

  @Override
  public <R> CallAnswer<R> apply(CallExchange<R> call, Rest<R> rest) {
    Operation<R> op = call.operation();
    ModelCall m = op.call();
    // Counted once: tokenizing a long prompt is not free.
    int inputTokens = op.inputTokens();
    Admission.Demand demand = new Admission.Demand(inputTokens, reservation(call, inputTokens));
    // A managed key's own limits first: a call its key refuses takes nothing of the tenant's.
    Admission.Ticket keyTicket =
        m.keyAccount() == null ? null : admission.admit(m.keyAccount(), m.origin(), demand);
    Admission.Ticket ticket;
    try {
      ticket = admission.admit(m.tenant(), m.origin(), demand);
    } catch (RuntimeException e) {
      // Refused by the tenant's limits: the key gives back its reservation (its request counts).
      settle(keyTicket, 0, 0);
      throw e;
    }
    CallAnswer<R> answer;
    try {
      answer = rest.proceed(call);
    } catch (RuntimeException | Error e) {
      // A stream cut after tokens reached the client still costs what was delivered.
      settle(keyTicket, call.unansweredOutputTokens(), call.unansweredCost());
      settle(ticket, call.unansweredOutputTokens(), call.unansweredCost());
      throw e;
    }
    // A continued answer's usage already holds the tokens its earlier attempts delivered, which
    // are also among the unanswered ones: they count once.
    int carried = call.carriedUsage() == null ? 0 : call.carriedUsage().outputTokens();
    int outputTokens = op.outputTokens(answer.response()) + call.unansweredOutputTokens() - carried;
    double cost = answer.cost() + call.unansweredCost();
    settle(keyTicket, outputTokens, cost);
    settle(ticket, outputTokens, cost);
    return answer;
  }

  private void settle(Admission.Ticket ticket, int outputTokens, double cost) {
    if (ticket != null) {
      admission.settle(ticket, outputTokens, cost);
    }
  }

  /**
   * The most the call may cost on its route: its input at the highest input price, its output cap
   * ({@code max_tokens}, else the tenant's {@code reserve_output_tokens}) at the highest output
   * price.
   */
  static double reservation(CallExchange<?> call, int inputTokens) {
    Operation<?> op = call.operation();
    double input = 0;
    double output = 0;
    for (Deployment d : call.route()) {
      Price price = d.config().price();
      input = Math.max(input, Math.max(price.inputPerMillion(), price.cachedPerMillion()));
      output = Math.max(output, price.outputPerMillion());
    }
    Integer cap = op.maxOutputTokens();
    int outputTokens = cap != null ? cap : op.call().tenant().limits().reserveOutputTokens();
    return (inputTokens * input + (double) outputTokens * output) / 1_000_000d;
  }
}
