package dev.ballast.core.stats;

import java.time.Instant;
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
}
