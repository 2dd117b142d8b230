package dev.ballast.providers.internal;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads how long a provider asked us to wait. OpenAI sends {@code retry-after-ms} next to the
 * standard header, which only has whole seconds, so the millisecond form wins when both exist.
 */
final class RetryAfter {
  private RetryAfter() {}

  static Duration parse(HttpHeaders headers, Clock clock) {
    Optional<Duration> millis =
        headers.firstValue("retry-after-ms").flatMap(value -> number(value, 1));
    if (millis.isPresent()) {
      return millis.get();
    }
    return headers.firstValue("retry-after").map(value -> parse(value, clock)).orElse(null);
  }

  /** Seconds (possibly fractional) or an HTTP-date; null when unreadable. */
  static Duration parse(String value, Clock clock) {
    String trimmed = value.trim();
    Optional<Duration> seconds = number(trimmed, 1000);
    if (seconds.isPresent()) {
      return seconds.get();
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(clock.instant(), at.toInstant());
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Optional<Duration> number(String value, long millisPerUnit) {
    try {
      double units = Double.parseDouble(value.trim());
      if (units < 0 || Double.isNaN(units) || Double.isInfinite(units)) {
        return Optional.empty();
      }
      return Optional.of(Duration.ofMillis(Math.round(units * millisPerUnit)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
