package dev.ballast.gateway.internal.wire;

import dev.ballast.core.stats.SpendReport;
import java.math.BigDecimal;

/** An amount of USD as Ballast states it to clients: nine decimals at most (nano-dollars). */
public final class Usd {
  private Usd() {}

  public static BigDecimal of(double usd) {
    return SpendReport.usd(usd);
  }

  /** The amount without an exponent, for a header. */
  public static String text(double usd) {
    return of(usd).toPlainString();
  }
}
