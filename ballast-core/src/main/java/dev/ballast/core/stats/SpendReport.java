package dev.ballast.core.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A spend report as the HTTP API and the CLI give it: the rows, most expensive first, and their
 * totals.
 */
public record SpendReport(SpendQuery query, List<SpendRow> rows, SpendRow totals) {

  public static SpendReport of(SpendQuery query, List<SpendRow> rows) {
    List<SpendRow> sorted = new ArrayList<>(rows);
    sorted.sort(
        Comparator.comparingDouble(SpendRow::costUsd)
            .reversed()
            .thenComparing(SpendRow::group, Comparator.nullsLast(Comparator.naturalOrder())));
    long requests = 0;
    long input = 0;
    long output = 0;
    double cost = 0;
    for (SpendRow row : sorted) {
      requests += row.requests();
      input += row.inputTokens();
      output += row.outputTokens();
      cost += row.costUsd();
    }
    return new SpendReport(
        query, List.copyOf(sorted), new SpendRow(null, requests, input, output, cost));
  }

  /**
   * {@code {object, group_by, since, until, rows: [{group, requests, input_tokens, output_tokens,
   * cost_usd}], totals: {...}}}.
   */
  public ObjectNode json() {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "spend_report");
    root.put("group_by", query.groupBy().wireName());
    if (query.tenant() != null) {
      root.put("tenant", query.tenant());
    }
    root.put("since", query.since().toString());
    root.put("until", query.until().toString());
    ArrayNode data = root.putArray("rows");
    for (SpendRow row : rows) {
      ObjectNode n = data.addObject();
      n.put("group", row.group());
      put(n, row);
    }
    put(root.putObject("totals"), totals);
    return root;
  }

  /** USD with at most nine decimals (nano-dollars, the budget's unit). */
  public static BigDecimal usd(double usd) {
    BigDecimal value =
        BigDecimal.valueOf(usd).setScale(9, RoundingMode.HALF_UP).stripTrailingZeros();
    return value.signum() == 0 ? BigDecimal.ZERO : value;
  }

  private static void put(ObjectNode n, SpendRow row) {
    n.put("requests", row.requests());
    n.put("input_tokens", row.inputTokens());
    n.put("output_tokens", row.outputTokens());
    n.put("cost_usd", usd(row.costUsd()));
  }
}
