package dev.ballast.cli;

import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.spi.Store;
import dev.ballast.core.stats.SpendGroup;
import dev.ballast.core.stats.SpendQuery;
import dev.ballast.core.stats.SpendReport;
import dev.ballast.core.stats.SpendRow;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ballast spend}: what was spent per tenant, key, model group or pipeline, read from the
 * store's journal (every node's), with or without a running gateway; the same report as {@code GET
 * /v1/ballast/spend}.
 */
@Command(
    name = "spend",
    mixinStandardHelpOptions = true,
    description = "Spend per tenant, key, model or pipeline, from the journal's provider attempts.")
final class SpendCommand implements Callable<Integer> {
  @Mixin NodeOptions node = new NodeOptions();

  @Option(
      names = "--group-by",
      paramLabel = "GROUP",
      defaultValue = "tenant",
      description = "tenant, key, model or pipeline (default: ${DEFAULT-VALUE})")
  String groupBy;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description =
          "an ISO-8601 instant or a length back from now: 90s, 30m, 24h, 7d, PT24H"
              + " (default: 24h before --until)")
  String since;

  @Option(
      names = "--until",
      paramLabel = "WHEN",
      description = "an ISO-8601 instant or a length back from now (default: now)")
  String until;

  @Option(names = "--tenant", paramLabel = "NAME", description = "only this tenant's calls")
  String tenant;

  @Option(names = "--json", description = "print the report as JSON")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SpendGroup group;
    try {
      group = SpendGroup.parse(groupBy);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(),
          "--group-by must be tenant, key, model or pipeline, but was " + groupBy);
    }
    Instant now = Instant.now();
    Instant to = instant("--until", until, now, now);
    Instant from = instant("--since", since, now, to.minus(SpendQuery.DEFAULT_WINDOW));
    if (!from.isBefore(to)) {
      throw new ParameterException(
          spec.commandLine(), "--since (" + from + ") must be before --until (" + to + ")");
    }
    PrintWriter out = spec.commandLine().getOut();
    // What loading says (a development key made) would break the JSON on stdout.
    BallastConfig config = node.load(json ? spec.commandLine().getErr() : out);
    SpendQuery query = new SpendQuery(tenant, from, to, group);
    SpendReport report;
    try (Store store = RunsCommand.open(config)) {
      report = SpendReport.of(query, store.aggregates().spend(query));
    }
    if (json) {
      out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.json()));
      return 0;
    }
    print(out, report);
    return 0;
  }

  private static void print(PrintWriter out, SpendReport report) {
    out.printf(
        "spend per %s from %s to %s%n",
        report.query().groupBy().wireName(), report.query().since(), report.query().until());
    String format = "%-32s %10s %14s %14s %14s%n";
    out.printf(
        format,
        report.query().groupBy().wireName().toUpperCase(java.util.Locale.ROOT),
        "REQUESTS",
        "INPUT_TOKENS",
        "OUTPUT_TOKENS",
        "COST_USD");
    for (SpendRow row : report.rows()) {
      line(out, format, row.group() == null ? "(none)" : row.group(), row);
    }
    line(out, format, "TOTAL", report.totals());
  }

  private static void line(PrintWriter out, String format, String group, SpendRow row) {
    out.printf(
        format,
        group,
        row.requests(),
        row.inputTokens(),
        row.outputTokens(),
        SpendReport.usd(row.costUsd()).toPlainString());
  }

  private Instant instant(String option, String text, Instant now, Instant fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return SpendQuery.instant(text, now);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }
}
