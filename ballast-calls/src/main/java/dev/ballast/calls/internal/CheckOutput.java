package dev.ballast.calls.internal;

import dev.ballast.calls.OutputCheckFailedException;
import dev.ballast.core.config.OutputChecks;
import dev.ballast.core.journal.OutputCheckFailure;
import java.util.List;

/**
 * Check output: the answer judged by its model group's {@code checks} (non-empty, length, refusal
 * and must / must-not patterns) once it has been validated. A failed check fails the attempt as
 * {@code output_check_failed}, which the chain retries or fails over like a format violation.
 *
 * <p>Invariant: a check is enforced exactly when no part of the answer has reached the client. A
 * streamed answer that was not held back ({@code checks.stream: record}) has usually been sent by
 * the time it can be judged: its failures are recorded on the attempt, marked not enforced, and the
 * answer stands. Either way the attempt's journal event names every rule that fired.
 */
public final class CheckOutput implements AttemptStep {

  @Override
  public <R> CallAnswer<R> apply(AttemptExchange<R> attempt, Rest<R> rest) {
    CallAnswer<R> answer = rest.proceed(attempt);
    CallExchange<R> call = attempt.exchange();
    OutputChecks checks = call.group().checks();
    if (checks.isEmpty()) {
      return answer;
    }
    Operation<R> op = call.operation();
    List<OutputCheckFailure> failures = op.check(answer.response(), checks);
    if (failures.isEmpty()) {
      return answer;
    }
    if (call.delivered()) {
      attempt.checked(failures.stream().map(OutputCheckFailure::recordedOnly).toList());
      return answer;
    }
    attempt.checked(failures);
    throw new OutputCheckFailedException(
        call.group().name(), failures, op.rawAnswer(answer.response()));
  }
}
