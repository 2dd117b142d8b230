package dev.ballast.calls.internal;

import java.util.List;

/**
 * One step of a single attempt at one deployment, done around the rest of the attempt. The steps
 * are listed, in order, in {@link dev.ballast.calls.ModelCallChain}; {@link Attempts} runs them
 * once per attempt and decides what happens after a failed one.
 */
public interface AttemptStep {

  <R> CallAnswer<R> apply(AttemptExchange<R> attempt, Rest<R> rest);

  /** The steps after this one. */
  interface Rest<R> {
    CallAnswer<R> proceed(AttemptExchange<R> attempt);
  }

  /** Runs {@code attempt} through {@code steps} from the first; the last must not proceed. */
  static <R> CallAnswer<R> run(List<AttemptStep> steps, AttemptExchange<R> attempt) {
    return run(steps, 0, attempt);
  }

  private static <R> CallAnswer<R> run(
      List<AttemptStep> steps, int index, AttemptExchange<R> attempt) {
    if (index == steps.size()) {
      throw new IllegalStateException("an attempt's last step must call the deployment");
    }
    return steps.get(index).apply(attempt, next -> run(steps, index + 1, next));
  }
}
