package dev.ballast.calls.internal;

import java.time.Duration;

/**
 * What the chain does after a failed attempt.
 *
 * @param index the route position of the next attempt (failover), or of the retried deployment
 * @param delay how long to wait before a retry; null otherwise
 * @param decision the decision as the journal records it
 */
public record NextStep(Kind kind, int index, Duration delay, String decision) {

  /** The four ways on. */
  public enum Kind {
    /** The same deployment again, after {@code delay}. */
    RETRY,
    /** The deployment at {@code index}. */
    FAILOVER,
    /** The group's larger-context group, from its first deployment. */
    LARGER_CONTEXT,
    /** None: the failure is the call's answer. */
    GIVE_UP
  }

  static NextStep giveUp(String why) {
    return new NextStep(Kind.GIVE_UP, -1, null, why);
  }
}
