package dev.ballast.calls.internal;

/**
 * Validate: an answer that does not match what was asked for (a structured-output schema, a tool
 * call's arguments) is a {@code format_violation} of this attempt, which fails over like any other
 * failure; it is never returned as a success. Output checks that judge an answer belong beside it.
 */
public final class ValidateOutput implements AttemptStep {

  @Override
  public <R> CallAnswer<R> apply(AttemptExchange<R> attempt, Rest<R> rest) {
    CallAnswer<R> answer = rest.proceed(attempt);
    return answer.withResponse(
        attempt.exchange().operation().validate(answer.response(), attempt.exchange()));
  }
}
