package dev.ballast.core.journal;

import java.util.Locale;
import java.util.Optional;

/**
 * What the model-call chain did after a provider attempt, as the journal records it in {@link
 * JournalEvent.ProviderAttempt#decision()}: the lower-case name, followed for {@link #FAILOVER},
 * {@link #LARGER_CONTEXT} and {@link #CONTINUE} by a colon and where the call went ({@code
 * failover:gpt4o-west}). These strings are stored in every journal: they never change.
 */
public enum Decision {
  /** The attempt answered the call. */
  ANSWERED,
  /** The same deployment is tried again after a backoff. */
  RETRY,
  /** The next available deployment on the route is tried. */
  FAILOVER,
  /** The prompt did not fit: the group's larger-context group is tried. */
  LARGER_CONTEXT,
  /** The failure is the call's answer: the failure table allows nothing more. */
  GAVE_UP,
  /** More was allowed, but no retry budget or no available deployment was left. */
  GAVE_UP_NO_BUDGET_OR_ROUTE,
  /** Part of a streamed answer had reached the client, so nothing could be tried again. */
  GAVE_UP_AFTER_FIRST_TOKEN,
  /**
   * Part of a streamed answer had reached the client; the deployment named after the colon is asked
   * to continue it from the text delivered, and its tokens are spliced into the client's stream.
   */
  CONTINUE,
  /** The client closed its connection while the attempt answered it: nothing more to do. */
  ABANDONED;

  /** The name as journaled, e.g. {@code gave_up}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The journal's string for this decision and where it sent the call (null for none). */
  public String journaled(String target) {
    return target == null ? wireName() : wireName() + ":" + target;
  }

  /** The decision a journaled string names; empty for a string no version of Ballast wrote. */
  public static Optional<Decision> of(String journaled) {
    if (journaled == null) {
      return Optional.empty();
    }
    int colon = journaled.indexOf(':');
    String name = colon < 0 ? journaled : journaled.substring(0, colon);
    for (Decision d : values()) {
      if (d.wireName().equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** Where a journaled {@link #FAILOVER} or {@link #LARGER_CONTEXT} sent the call. */
  public static Optional<String> target(String journaled) {
    int colon = journaled == null ? -1 : journaled.indexOf(':');
    return colon < 0 ? Optional.empty() : Optional.of(journaled.substring(colon + 1));
  }
}
