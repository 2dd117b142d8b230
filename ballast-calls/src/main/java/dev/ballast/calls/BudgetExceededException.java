package dev.ballast.calls;

import java.util.Locale;

/** The tenant has spent its budget ({@code tenants.NAME.limits.budget_usd}). */
public final class BudgetExceededException extends CallRefusedException {
  private final String tenant;
  private final double budgetUsd;

  public BudgetExceededException(String tenant, double budgetUsd) {
    this(tenant, budgetUsd, 0);
  }

  /**
   * @param reservationUsd what the refused call had to reserve (its largest cost); 0 when nothing
   *     at all is left of the budget
   */
  public BudgetExceededException(String tenant, double budgetUsd, double reservationUsd) {
    super(
        tenant.startsWith(dev.ballast.core.config.TenantConfig.KEY_ACCOUNT_PREFIX)
            ? String.format(
                Locale.ROOT,
                "Key '%s' has %s its own budget of $%.2f (limits.budget_usd, set when the key was"
                    + " created).",
                tenant.substring(dev.ballast.core.config.TenantConfig.KEY_ACCOUNT_PREFIX.length()),
                reservationUsd > 0
                    ? String.format(
                        Locale.ROOT,
                        "too little left for this call, which reserves up to $%.6f, of",
                        reservationUsd)
                    : "spent",
                budgetUsd)
            : reservationUsd > 0
                ? String.format(
                    Locale.ROOT,
                    "Tenant '%s' has too little left of its budget of $%.2f for this call, which"
                        + " reserves up to $%.6f (its input and max_tokens at the model's highest"
                        + " prices; without max_tokens, tenants.%s.limits.reserve_output_tokens)"
                        + " (tenants.%s.limits.budget_usd).",
                    tenant,
                    budgetUsd,
                    reservationUsd,
                    tenant,
                    tenant)
                : String.format(
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
