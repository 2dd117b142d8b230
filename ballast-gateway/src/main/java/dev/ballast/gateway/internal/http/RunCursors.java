package dev.ballast.gateway.internal.http;

import dev.ballast.core.journal.RunCursor;
import dev.ballast.gateway.internal.wire.ApiError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * The run list's page cursor on the wire: opaque to clients, URL-safe base64 of the last run's
 * start time in epoch microseconds (what the stores keep) and its id.
 */
final class RunCursors {
  private RunCursors() {}

  static String encode(RunCursor cursor) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, cursor.startedAt());
    String text = micros + ":" + cursor.id();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws ApiError 400 naming {@code after} when the text is not a cursor this API gave out
   */
  static RunCursor decode(String text) {
    try {
      String decoded =
          new String(Base64.getUrlDecoder().decode(text.trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon <= 0 || colon == decoded.length() - 1) {
        throw invalid();
      }
      long micros = Long.parseLong(decoded.substring(0, colon));
      return new RunCursor(
          Instant.EPOCH.plus(micros, ChronoUnit.MICROS), decoded.substring(colon + 1));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw invalid();
    }
  }

  private static ApiError invalid() {
    return ApiError.invalid(
        "after", "Invalid 'after': pass back the next_cursor of a previous page unchanged.");
  }
}
