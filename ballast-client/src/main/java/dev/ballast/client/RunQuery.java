package dev.ballast.client;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which runs {@link BallastClient#runs} lists, most recently submitted first. Immutable; the {@code
 * with} methods return a copy.
 *
 * @param pipeline null for any pipeline
 * @param states empty for any state
 * @param limit at least 1; the gateway refuses more than it serves at once (1000 today)
 */
public record RunQuery(String pipeline, Set<PipelineRun.State> states, int limit) {
  public static final int DEFAULT_LIMIT = 50;

  public RunQuery {
    states = Set.copyOf(states);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
    }
    if (states.contains(PipelineRun.State.UNKNOWN)) {
      throw new IllegalArgumentException("state UNKNOWN cannot be queried");
    }
  }

  /** Any run, up to {@link #DEFAULT_LIMIT}. */
  public static RunQuery all() {
    return new RunQuery(null, Set.of(), DEFAULT_LIMIT);
  }

  public RunQuery withPipeline(String name) {
    return new RunQuery(name, states, limit);
  }

  /** Runs in any of the given states, e.g. {@code withStates(DEAD, FAILED)}. */
  public RunQuery withStates(PipelineRun.State first, PipelineRun.State... more) {
    return new RunQuery(pipeline, EnumSet.of(first, more), limit);
  }

  public RunQuery withLimit(int newLimit) {
    return new RunQuery(pipeline, states, newLimit);
  }
}
