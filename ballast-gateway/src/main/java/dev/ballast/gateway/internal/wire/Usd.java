package dev.ballast.gateway.internal.wire;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** An amount of USD as Ballast states it to clients: nine decimals at most (nano-dollars). */
public final class Usd {
  private Usd() {}

  public static BigDecimal of(double usd) {
    BigDecimal value =
        BigDecimal.valueOf(usd).setScale(9, RoundingMode.HALF_UP).stripTrailingZeros();
    // 0E-9 strips to 0E+0 on some values; a plain zero reads better.
    return value.signum() == 0 ? BigDecimal.ZERO : value;
  }

  /** The amount without an exponent, for a header. */
  public static String text(double usd) {
    return of(usd).toPlainString();
  }
}
