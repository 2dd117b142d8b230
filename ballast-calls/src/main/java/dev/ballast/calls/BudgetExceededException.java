package dev.ballast.calls;

import java.util.Locale;

/** The tenant has spent its budget ({@code tenants.NAME.limits.budget_usd}). */
public final class BudgetExceededException extends CallRefusedException {
  private final String tenant;
  private final double budgetUsd;

  public BudgetExceededException(String tenant, double budgetUsd) {
    super(
        String.format(
            Locale.ROOT,
            "Tenant '%s' has spent its budget of $%.2f (tenants.%s.limits.budget_usd).",
            tenant,
            budgetUsd,
            tenant),
        null);
    this.tenant = tenant;
    this.budgetUsd = budgetUsd;
  }

  public String tenant() {
    return tenant;
  }

  public double budgetUsd() {
    return budgetUsd;
  }
}
