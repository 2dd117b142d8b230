package dev.ballast.cli;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Small formatting helpers for terminal tables. */
final class Text {
  private Text() {}

  /** {@code s} cut to {@code width} characters with an ellipsis; {@code -} for null. */
  static String trim(String s, int width) {
    if (s == null) {
      return "-";
    }
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }

  /** Seconds precision, without the zone letter: {@code 2026-11-22T08:00:00}. */
  static String time(Instant instant) {
    return instant == null ? "-" : instant.toString().substring(0, 19);
  }

  /** A stored JSON document as one line, cut to {@code width}; {@code -} for none. */
  static String document(byte[] json, int width) {
    return json == null ? "-" : trim(new String(json, StandardCharsets.UTF_8), width);
  }
}
