package dev.ballast.calls.internal;

import dev.ballast.calls.Admission;

/**
 * Admission: the tenant's request and token limits and its budget, before any upstream call (for
 * the callers whose {@link dev.ballast.calls.Origin} is admitted), and the answer's output tokens
 * and cost added to the tenant's spend after it (for every caller).
 */
public final class Admit implements CallStep {
  private final Admission admission;

  public Admit(Admission admission) {
    this.admission = admission;
  }

  @Override
  public <R> CallAnswer<R> apply(CallExchange<R> call, Rest<R> rest) {
    Operation<R> op = call.operation();
    if (op.call().origin().admitted()) {
      admission.admit(op.call().tenant(), op.inputTokens());
    }
    CallAnswer<R> answer = rest.proceed(call);
    admission.settle(op.call().tenant(), op.outputTokens(answer.response()), answer.cost());
    return answer;
  }
}
