package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.spi.Aggregates;
import dev.ballast.core.stats.SpendGroup;
import dev.ballast.core.stats.SpendQuery;
import dev.ballast.core.stats.SpendReport;
import dev.ballast.gateway.internal.wire.ApiError;
import io.helidon.webserver.http.ServerRequest;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code GET /v1/ballast/spend?group_by=tenant|key|model|pipeline&since=&until=[&tenant=]}: what
 * was spent, per group, from the journal's provider attempts (computed by the store). {@code since}
 * and {@code until} are ISO-8601 instants or lengths back from now ({@code 24h}, {@code 7d}, {@code
 * PT30M}); the default is the last 24 hours. Scoped like the run list: a tenant key sees its own
 * tenant's spend, an administrator every tenant's or the one it names ({@link Roles}).
 */
final class SpendApi {
  private final Aggregates aggregates;
  private final Clock clock;

  SpendApi(Aggregates aggregates, Clock clock) {
    this.aggregates = aggregates;
    this.clock = clock;
  }

  JsonNode report(Caller caller, ServerRequest req) {
    String tenant = Roles.scope(caller, param(req, "tenant"));
    SpendGroup groupBy = groupBy(param(req, "group_by"));
    Instant now = clock.instant();
    Instant until = instant("until", param(req, "until"), now, now);
    Instant since =
        instant("since", param(req, "since"), now, until.minus(SpendQuery.DEFAULT_WINDOW));
    if (!since.isBefore(until)) {
      throw ApiError.invalid(
          "since", "Invalid 'since': " + since + " is not before 'until' (" + until + ").");
    }
    SpendQuery query = new SpendQuery(tenant, since, until, groupBy);
    return SpendReport.of(query, aggregates.spend(query)).json();
  }

  private static SpendGroup groupBy(String text) {
    if (text == null) {
      return SpendGroup.TENANT;
    }
    try {
      return SpendGroup.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid(
          "group_by",
          "Invalid 'group_by': '" + text + "'. Expected tenant, key, model or pipeline.");
    }
  }

  private static Instant instant(String name, String text, Instant now, Instant fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return SpendQuery.instant(text, now);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid(name, "Invalid '" + name + "': " + e.getMessage() + ".");
    }
  }

  private static String param(ServerRequest req, String name) {
    if (!req.query().contains(name)) {
      return null;
    }
    String value = req.query().get(name).trim();
    return value.isEmpty() ? null : value;
  }
}
