package dev.ballast.simulator.internal;

import dev.ballast.simulator.InvalidSpecException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directive list cut at its {@code onset=} directives into phases. Each phase holds the whole
 * directive text in force from its onset on (every directive before it, in order, so later ones win
 * when the text is parsed), never an onset itself.
 *
 * @param phases the first phase (no onset), then one per onset in spec order
 */
public record Phases(List<Phase> phases) {
  private static final Pattern REQUESTS = Pattern.compile("(\\d+)\\s*req(?:uests?)?");
  private static final Pattern DURATION = Pattern.compile("\\d+(?:ms|m)|\\d+(?:\\.\\d+)?s");

  /**
   * One phase.
   *
   * @param afterRequests the onset counts requests: the phase begins after this many; 0 otherwise
   * @param afterTime the onset is timed: the phase begins this long after the start; null otherwise
   * @param directives the directives in force during the phase, comma-separated, without onsets
   */
  public record Phase(long afterRequests, Duration afterTime, String directives) {
    boolean first() {
      return afterRequests == 0 && afterTime == null;
    }

    boolean fired(long request, Duration sinceStart) {
      return first()
          || (afterTime == null ? request > afterRequests : sinceStart.compareTo(afterTime) >= 0);
    }
  }

  public Phases {
    phases = List.copyOf(phases);
  }

  /**
   * Cuts a directive list at its onsets.
   *
   * @throws InvalidSpecException when an onset's moment does not read {@code Nreq} or a duration
   */
  public static Phases of(String directives) {
    List<Phase> phases = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    long afterRequests = 0;
    Duration afterTime = null;
    for (String raw : directives == null ? new String[0] : directives.split(",")) {
      String directive = raw.trim();
      if (directive.isEmpty()) {
        continue;
      }
      int eq = directive.indexOf('=');
      String key =
          (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      if (!key.equals("onset")) {
        text.append(text.isEmpty() ? "" : ",").append(directive);
        continue;
      }
      phases.add(new Phase(afterRequests, afterTime, text.toString()));
      String value = eq < 0 ? "" : directive.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
      Matcher requests = REQUESTS.matcher(value);
      if (requests.matches()) {
        afterRequests = Long.parseLong(requests.group(1));
        afterTime = null;
        if (afterRequests < 1) {
          throw invalid(
              directive, "an onset after 0 requests is the spec itself; say 1req or more");
        }
      } else if (DURATION.matcher(value).matches()) {
        afterRequests = 0;
        afterTime = SpecParser.duration(directive, value);
        if (!afterTime.isPositive()) {
          throw invalid(directive, "an onset time must be greater than zero");
        }
      } else {
        throw invalid(
            directive,
            "onset needs a request count like 100req or a time like 30s, but was \""
                + value
                + "\"");
      }
    }
    phases.add(new Phase(afterRequests, afterTime, text.toString()));
    return new Phases(phases);
  }

  /**
   * These phases with {@code directives} (which hold no onset) added at the end of each, so that
   * they win over every phase's own: how a model's inline directives apply on top of a profile.
   */
  public Phases onTop(String directives) {
    if (directives == null || directives.isBlank()) {
      return this;
    }
    return new Phases(
        phases.stream()
            .map(
                p ->
                    new Phase(
                        p.afterRequests(),
                        p.afterTime(),
                        p.directives().isEmpty() ? directives : p.directives() + "," + directives))
            .toList());
  }

  /** The phase in force for a request: the last whose onset has fired. */
  public Phase at(long request, Duration sinceStart) {
    Phase current = phases.getFirst();
    for (Phase phase : phases) {
      if (phase.fired(request, sinceStart)) {
        current = phase;
      }
    }
    return current;
  }

  private static InvalidSpecException invalid(String directive, String message) {
    return new InvalidSpecException(directive, message);
  }
}
