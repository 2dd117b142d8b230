package dev.ballast.core.journal;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/** Run ids that sort by creation time. */
public final class RunIds {
  private RunIds() {}

  /**
   * {@code prefix} followed by 12 hex digits of milliseconds and 10 random ones (40 bits), e.g.
   * {@code run_019a3f...}.
   */
  public static String next(String prefix, Clock clock) {
    long random = ThreadLocalRandom.current().nextLong() & 0xFF_FFFF_FFFFL;
    StringBuilder id = new StringBuilder(prefix.length() + 22).append(prefix);
    appendHex(id, clock.millis(), 12);
    appendHex(id, random, 10);
    return id.toString();
  }

  private static void appendHex(StringBuilder out, long value, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      out.append(Character.forDigit((int) (value >>> shift) & 0xF, 16));
    }
  }
}
