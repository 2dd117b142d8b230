package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** Reads {@code tenants.NAME.limits}, reporting every problem with its path. */
final class TenantLimitsReader {
  /** Budgets are kept in nano-dollars in a signed 64-bit count: a billion dollars is plenty. */
  static final double MAX_BUDGET_USD = 1_000_000_000d;

  private TenantLimitsReader() {}

  static TenantLimits read(ConfigReader r, String path, JsonNode node) {
    r.object(
        node,
        path,
        Set.of(
            "requests_per_minute",
            "tokens_per_minute",
            "budget_usd",
            "reserve_output_tokens",
            "max_queued_runs",
            "pipeline_priority"));
    double budget = r.decimal(node, path, "budget_usd", 0);
    if (budget > MAX_BUDGET_USD) {
      r.error(
          path + ".budget_usd", "must be at most " + (long) MAX_BUDGET_USD + ", but was " + budget);
      budget = 0;
    }
    JsonNode range = node == null ? null : node.get("pipeline_priority");
    String rp = path + ".pipeline_priority";
    r.object(range, rp, Set.of("min", "max"));
    int min =
        (int) r.integer(range, rp, "min", TenantLimits.DEFAULT_MIN_PIPELINE_PRIORITY, -1000, 1000);
    int max =
        (int) r.integer(range, rp, "max", TenantLimits.DEFAULT_MAX_PIPELINE_PRIORITY, -1000, 1000);
    if (min > max) {
      r.error(rp, "min must not exceed max, but was min " + min + " > max " + max);
      min = max;
    }
    return new TenantLimits(
        (int) r.integer(node, path, "requests_per_minute", 0, 0, 10_000_000),
        (int) r.integer(node, path, "tokens_per_minute", 0, 0, 2_000_000_000),
        budget,
        (int)
            r.integer(
                node,
                path,
                "reserve_output_tokens",
                TenantLimits.DEFAULT_RESERVE_OUTPUT_TOKENS,
                1,
                10_000_000),
        (int)
            r.integer(
                node,
                path,
                "max_queued_runs",
                TenantLimits.DEFAULT_MAX_QUEUED_RUNS,
                0,
                100_000_000),
        min,
        max);
  }
}
