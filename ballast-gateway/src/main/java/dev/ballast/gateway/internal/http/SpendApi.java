package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.spi.Aggregates;
import dev.ballast.core.stats.SpendGroup;
import dev.ballast.core.stats.SpendQuery;
import dev.ballast.core.stats.SpendRow;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.Usd;
import io.helidon.webserver.http.ServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /v1/ballast/spend?group_by=tenant|key|model|pipeline&since=&until=[&tenant=]}: what
 * was spent, per group, from the journal's provider attempts (computed by the store). {@code since}
 * and {@code until} are ISO-8601 instants or lengths back from now ({@code 24h}, {@code 7d}, {@code
 * PT30M}); the default is the last 24 hours. Scoped like the run list: a tenant key sees its own
 * tenant's spend, an administrator every tenant's or the one it names ({@link Roles}).
 */
final class SpendApi {
  static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

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
    Instant since = instant("since", param(req, "since"), now, until.minus(DEFAULT_WINDOW));
    if (!since.isBefore(until)) {
      throw ApiError.invalid(
          "since", "Invalid 'since': " + since + " is not before 'until' (" + until + ").");
    }
    List<SpendRow> rows =
        new ArrayList<>(aggregates.spend(new SpendQuery(tenant, since, until, groupBy)));
    rows.sort(
        Comparator.comparingDouble(SpendRow::costUsd)
            .reversed()
            .thenComparing(SpendRow::group, Comparator.nullsLast(Comparator.naturalOrder())));
    return json(groupBy, since, until, rows);
  }

  private static JsonNode json(
      SpendGroup groupBy, Instant since, Instant until, List<SpendRow> rows) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "spend_report");
    root.put("group_by", groupBy.wireName());
    root.put("since", since.toString());
    root.put("until", until.toString());
    ArrayNode data = root.putArray("rows");
    long requests = 0;
    long input = 0;
    long output = 0;
    double cost = 0;
    for (SpendRow row : rows) {
      ObjectNode n = data.addObject();
      n.put("group", row.group());
      put(n, row.requests(), row.inputTokens(), row.outputTokens(), row.costUsd());
      requests += row.requests();
      input += row.inputTokens();
      output += row.outputTokens();
      cost += row.costUsd();
    }
    put(root.putObject("totals"), requests, input, output, cost);
    return root;
  }

  private static void put(ObjectNode n, long requests, long input, long output, double cost) {
    n.put("requests", requests);
    n.put("input_tokens", input);
    n.put("output_tokens", output);
    n.put("cost_usd", Usd.of(cost));
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

  /**
   * An ISO-8601 instant ({@code 2026-12-07T00:00:00Z}) or a length back from now: {@code 90s},
   * {@code 30m}, {@code 24h}, {@code 7d} or an ISO-8601 duration ({@code PT24H}).
   */
  static Instant instant(String name, String text, Instant now, Instant fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      if (text.matches("[0-9]{1,9}[smhd]")) {
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        Duration back =
            switch (text.charAt(text.length() - 1)) {
              case 's' -> Duration.ofSeconds(n);
              case 'm' -> Duration.ofMinutes(n);
              case 'h' -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            };
        return now.minus(back);
      }
      if (text.startsWith("P") || text.startsWith("p")) {
        Duration back = Duration.parse(text);
        if (!back.isNegative()) {
          return now.minus(back);
        }
      } else {
        return Instant.parse(text);
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      // Answered below, with what is expected.
    }
    throw ApiError.invalid(
        name,
        "Invalid '"
            + name
            + "': '"
            + text
            + "'. Expected an ISO-8601 instant such as 2026-12-07T00:00:00Z or a length back"
            + " from now such as 90s, 30m, 24h, 7d or PT24H.");
  }

  private static String param(ServerRequest req, String name) {
    if (!req.query().contains(name)) {
      return null;
    }
    String value = req.query().get(name).trim();
    return value.isEmpty() ? null : value;
  }
}
