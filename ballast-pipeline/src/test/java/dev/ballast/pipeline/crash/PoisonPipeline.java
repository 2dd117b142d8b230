package dev.ballast.pipeline.crash;

import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.pipeline.RetryPolicy;
import java.time.Duration;

/**
 * A pipeline whose one stage ends the process that runs it, as a native crash or an out-of-memory
 * kill would: a poison run. Every worker that claims it dies, so only the attempt count the claims
 * leave in the queue can stop it from taking down worker after worker.
 */
final class PoisonPipeline {
  static final String NAME = "poison";
  static final String STAGE = "explode";

  /** The exit status of a worker the poison run killed. */
  static final int EXIT = 86;

  static final RetryPolicy RETRY =
      new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(10), 1);

  private PoisonPipeline() {}

  static Pipeline build() {
    return Pipeline.named(NAME)
        .stage(
            STAGE,
            ctx -> {
              Runtime.getRuntime().halt(EXIT);
              throw new AssertionError("halt returned");
            })
        .retry(RETRY)
        .build();
  }
}
