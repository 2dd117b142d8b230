package dev.ballast.simulator;

import java.time.Duration;

/**
 * A moment at which a simulated model's behaviour changes ({@code onset=...} in a spec), and the
 * behaviour from then on. Exactly one of the two moments is set.
 *
 * @param afterRequests the onset fires for requests after this many of the model's requests since
 *     the simulator started or was reset ({@code onset=100req}); 0 when the onset is timed
 * @param afterTime the onset fires this long after the simulator started or was reset, on its clock
 *     ({@code onset=30s}); null when the onset counts requests
 * @param spec the whole behaviour once the onset has fired: the directives before it and the ones
 *     after it, later ones winning
 */
public record Onset(long afterRequests, Duration afterTime, SimulationSpec spec) {

  public Onset {
    if ((afterRequests > 0) == (afterTime != null)) {
      throw new IllegalArgumentException("an onset counts requests or time, not both or neither");
    }
  }

  /**
   * Whether the onset has fired for a request.
   *
   * @param request the request's 1-based number for its model since the start or the last reset
   * @param sinceStart the time since the start or the last reset
   */
  public boolean fired(long request, Duration sinceStart) {
    return afterTime == null ? request > afterRequests : sinceStart.compareTo(afterTime) >= 0;
  }
}
