package dev.ballast.core.stats;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A spend report's question: the provider attempts made in {@code [since, until)}, grouped.
 *
 * @param tenant only this tenant's calls; null for every tenant
 */
public record SpendQuery(String tenant, Instant since, Instant until, SpendGroup groupBy) {
  public SpendQuery {
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(groupBy, "groupBy");
    if (!since.isBefore(until)) {
      throw new IllegalArgumentException(
          "since must be before until, but was " + since + " >= " + until);
    }
  }

  /** A report's window when none is asked for: the last 24 hours. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

  /**
   * A report's bound as a person writes it: an ISO-8601 instant ({@code 2026-12-07T00:00:00Z}) or a
   * length back from {@code now}: {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d} or an ISO-8601
   * duration ({@code PT24H}).
   *
   * @throws IllegalArgumentException naming what is expected
   */
  public static Instant instant(String text, Instant now) {
    try {
      if (text.matches("[0-9]{1,9}[smhd]")) {
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        Duration back =
            switch (text.charAt(text.length() - 1)) {
              case 's' -> Duration.ofSeconds(n);
              case 'm' -> Duration.ofMinutes(n);
              case 'h' -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            };
        return now.minus(back);
      }
      if (text.startsWith("P") || text.startsWith("p")) {
        Duration back = Duration.parse(text);
        if (!back.isNegative()) {
          return now.minus(back);
        }
      } else {
        return Instant.parse(text);
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      // Answered below, with what is expected.
    }
    throw new IllegalArgumentException(
        "'"
            + text
            + "' is neither an ISO-8601 instant such as 2026-12-07T00:00:00Z nor a length back"
            + " from now such as 90s, 30m, 24h, 7d or PT24H");
  }
}
