package dev.ballast.core.queue;

import java.util.Set;

/**
 * Which runs {@code RunQueue.list} returns, most recently enqueued first.
 *
 * @param states empty for any state
 * @param pipeline null for any pipeline
 * @param tenant null for any tenant
 */
public record RunFilter(Set<QueueState> states, String pipeline, String tenant, int limit) {

  public RunFilter {
    states = Set.copyOf(states);
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be between 1 and 10000, but was " + limit);
    }
  }

  public static RunFilter all(int limit) {
    return new RunFilter(Set.of(), null, null, limit);
  }

  public static RunFilter inState(QueueState state, int limit) {
    return new RunFilter(Set.of(state), null, null, limit);
  }
}
