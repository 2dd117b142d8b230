package dev.ballast.calls.internal;

import dev.ballast.core.journal.Decision;
import java.time.Duration;

/**
 * What the chain does after a failed attempt.
 *
 * @param index the route position of the next attempt (failover), or of the retried deployment
 * @param delay how long to wait before a retry; null otherwise
 * @param decision the decision as the journal records it, with {@code target}
 * @param target where a failover or a larger-context move sends the call, else null
 */
public record NextStep(Kind kind, int index, Duration delay, Decision decision, String target) {

  /** The ways on. */
  public enum Kind {
    /** The same deployment again, after {@code delay}. */
    RETRY,
    /** The deployment at {@code index}. */
    FAILOVER,
    /** The group's larger-context group, from its first deployment. */
    LARGER_CONTEXT,
    /**
     * The deployment at {@code index} (the next one, or the same) continues a stream whose first
     * part reached the client.
     */
    CONTINUE,
    /** None: the failure is the call's answer. */
    GIVE_UP
  }

  static NextStep giveUp(Decision why) {
    return new NextStep(Kind.GIVE_UP, -1, null, why, null);
  }
}
