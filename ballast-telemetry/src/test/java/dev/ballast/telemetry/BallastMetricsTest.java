package dev.ballast.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ballast.core.journal.JournalWriterStats;
import dev.ballast.testkit.PrometheusText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The {@code /metrics} text, counted from journals and read from registered gauges. */
class BallastMetricsTest {
  private final BallastMetrics metrics = BallastMetrics.create(Journals.PROVIDERS);

  private Map<String, PrometheusText.Family> scrape() {
    return PrometheusText.parse(metrics.scrape());
  }

  private void countBothRuns() {
    metrics.accept(Journals.gatewayRunWithFailover());
    metrics.accept(Journals.pipelineWithModelCallInStoreOrder());
  }

  /** The value of the one sample named {@code sample} whose labels include {@code labels}. */
  private static double value(
      Map<String, PrometheusText.Family> families,
      String family,
      String sample,
      Map<String, String> labels) {
    List<PrometheusText.Sample> found =
        families.get(family).samples().stream()
            .filter(s -> s.name().equals(sample))
            .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
    assertThat(found).as(sample + labels).hasSize(1);
    return found.getFirst().value();
  }

  @Test
  void theScrapeIsValidPrometheusTextWithConsistentHistograms() {
    countBothRuns();
    metrics.registerBreakerState("primary", () -> "open");
    metrics.registerJournal(() -> new JournalWriterStats(3, 10, 2, 500, 1));

    Map<String, PrometheusText.Family> families = scrape();

    assertThat(families)
        .containsKeys(
            "gen_ai_client_operation_duration_seconds",
            "gen_ai_client_token_usage",
            "ballast_run_cost_usd_total",
            "ballast_runs_total",
            "ballast_stage_outcomes_total",
            "ballast_breaker_transitions_total",
            "ballast_breaker_state",
            "ballast_journal_queue_size");
    assertThat(families.values()).allSatisfy(f -> assertThat(f.help()).isNotBlank());
    assertThat(metrics.scrape()).endsWith("\n");
  }

  @Test
  void operationDurationIsAHistogramInSecondsPerAttemptWithTheConventionsLabelsAndBuckets() {
    countBothRuns();

    PrometheusText.Family duration = scrape().get("gen_ai_client_operation_duration_seconds");

    assertThat(duration.type()).isEqualTo("histogram");
    Map<String, String> failed =
        Map.of(
            "gen_ai_operation_name", "chat",
            "gen_ai_provider_name", "openai",
            "gen_ai_request_model", "gpt-4o-mini",
            "error_type", "server_error");
    assertThat(value(scrape(), duration.name(), duration.name() + "_count", failed)).isEqualTo(1);
    assertThat(value(scrape(), duration.name(), duration.name() + "_sum", failed))
        .isCloseTo(0.12, within(1e-9));
    assertThat(
            duration.samples().stream()
                .filter(
                    s ->
                        s.name().endsWith("_bucket")
                            && s.labels().get("error_type").equals("server_error"))
                .map(s -> s.labels().get("le")))
        .containsExactly(
            "0.01", "0.02", "0.04", "0.08", "0.16", "0.32", "0.64", "1.28", "2.56", "5.12", "10.24",
            "20.48", "40.96", "81.92", "+Inf");
    assertThat(
            value(
                scrape(),
                duration.name(),
                duration.name() + "_count",
                Map.of(
                    "gen_ai_provider_name",
                    "anthropic",
                    "error_type",
                    "",
                    "gen_ai_response_model",
                    "claude-haiku-4-5-20251001")))
        .isEqualTo(1);
  }

  @Test
  void tokenUsageIsAHistogramByTokenTypeWithTheConventionsBuckets() {
    countBothRuns();

    Map<String, PrometheusText.Family> families = scrape();
    PrometheusText.Family tokens = families.get("gen_ai_client_token_usage");

    assertThat(tokens.type()).isEqualTo("histogram");
    Map<String, String> input =
        Map.of("gen_ai_provider_name", "openai", "gen_ai_token_type", "input");
    Map<String, String> output =
        Map.of("gen_ai_provider_name", "openai", "gen_ai_token_type", "output");
    assertThat(value(families, tokens.name(), tokens.name() + "_sum", input)).isEqualTo(300);
    assertThat(value(families, tokens.name(), tokens.name() + "_sum", output)).isEqualTo(20);
    assertThat(
            tokens.samples().stream()
                .filter(s -> s.name().endsWith("_bucket"))
                .map(s -> s.labels().get("le"))
                .distinct()
                .count())
        .isEqualTo(15);
  }

  @Test
  void costRunsStageOutcomesAndBreakerTransitionsAreCountedFromTheJournal() {
    countBothRuns();

    Map<String, PrometheusText.Family> f = scrape();

    assertThat(
            value(
                f,
                "ballast_run_cost_usd_total",
                "ballast_run_cost_usd_total",
                Map.of("tenant", "acme", "model", "default")))
        .isCloseTo(0.00052, within(1e-12));
    assertThat(
            value(
                f,
                "ballast_runs_total",
                "ballast_runs_total",
                Map.of("kind", "gateway", "operation", "chat", "status", "succeeded")))
        .isEqualTo(2);
    assertThat(
            value(
                f,
                "ballast_runs_total",
                "ballast_runs_total",
                Map.of("kind", "pipeline", "operation", "digest", "status", "succeeded")))
        .isEqualTo(1);
    assertThat(
            value(
                f,
                "ballast_stage_outcomes_total",
                "ballast_stage_outcomes_total",
                Map.of("pipeline", "digest", "stage", "notify", "outcome", "waiting")))
        .isEqualTo(1);
    assertThat(
            value(
                f,
                "ballast_stage_outcomes_total",
                "ballast_stage_outcomes_total",
                Map.of("pipeline", "digest", "stage", "notify", "outcome", "completed")))
        .isEqualTo(1);
    assertThat(
            value(
                f,
                "ballast_breaker_transitions_total",
                "ballast_breaker_transitions_total",
                Map.of("deployment", "primary", "state", "open")))
        .isEqualTo(1);
  }

  @Test
  void gaugesReadTheirSuppliersAtEveryScrape() {
    AtomicReference<String> breaker = new AtomicReference<>("closed");
    AtomicLong ready = new AtomicLong(4);
    metrics.registerBreakerState("primary", breaker::get);
    metrics.registerRetryBudget("global", () -> 7.5);
    metrics.registerQueueDepth("ready", ready::get);
    metrics.registerOldestReadyAge(() -> Duration.ofMillis(1500));
    metrics.registerLeaseReclaims(() -> 3);

    Map<String, PrometheusText.Family> before = scrape();
    breaker.set("half_open");
    ready.set(9);
    Map<String, PrometheusText.Family> after = scrape();

    String state = "ballast_breaker_state";
    assertThat(value(before, state, state, Map.of("deployment", "primary", "state", "closed")))
        .isEqualTo(1);
    assertThat(value(after, state, state, Map.of("deployment", "primary", "state", "closed")))
        .isZero();
    assertThat(value(after, state, state, Map.of("deployment", "primary", "state", "half_open")))
        .isEqualTo(1);
    assertThat(value(after, "ballast_queue_runs", "ballast_queue_runs", Map.of("state", "ready")))
        .isEqualTo(9);
    assertThat(
            value(
                after,
                "ballast_retry_budget_remaining",
                "ballast_retry_budget_remaining",
                Map.of("scope", "global")))
        .isEqualTo(7.5);
    assertThat(
            value(
                after,
                "ballast_queue_oldest_ready_age_seconds",
                "ballast_queue_oldest_ready_age_seconds",
                Map.of()))
        .isEqualTo(1.5);
    assertThat(
            value(
                after,
                "ballast_queue_lease_reclaims_total",
                "ballast_queue_lease_reclaims_total",
                Map.of()))
        .isEqualTo(3);
  }

  @Test
  void aGaugeWhoseSupplierThrowsReadsAsNaNAndTheScrapeStillWorks() {
    metrics.registerQueueDepth(
        "ready",
        () -> {
          throw new IllegalStateException("store down");
        });

    Map<String, PrometheusText.Family> f = scrape();

    assertThat(value(f, "ballast_queue_runs", "ballast_queue_runs", Map.of("state", "ready")))
        .isNaN();
  }

  @Test
  void journalWriterStatsAreGaugesAndCounters() {
    metrics.registerJournal(() -> new JournalWriterStats(3, 10, 2, 500, 1));

    Map<String, PrometheusText.Family> f = scrape();

    assertThat(f.get("ballast_journal_queue_size").type()).isEqualTo("gauge");
    assertThat(value(f, "ballast_journal_queue_size", "ballast_journal_queue_size", Map.of()))
        .isEqualTo(3);
    assertThat(value(f, "ballast_journal_spool_pending", "ballast_journal_spool_pending", Map.of()))
        .isEqualTo(2);
    assertThat(f.get("ballast_journal_spooled_total").type()).isEqualTo("counter");
    assertThat(value(f, "ballast_journal_spooled_total", "ballast_journal_spooled_total", Map.of()))
        .isEqualTo(10);
    assertThat(value(f, "ballast_journal_written_total", "ballast_journal_written_total", Map.of()))
        .isEqualTo(500);
    assertThat(
            value(
                f,
                "ballast_journal_failed_batches_total",
                "ballast_journal_failed_batches_total",
                Map.of()))
        .isEqualTo(1);
  }

  @Test
  void theTextParserRejectsMalformedExposition() {
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE x counter\nx{a=b} 1\n"))
        .hasMessageContaining("bad label syntax");
    assertThatThrownBy(() -> PrometheusText.parse("y 1\n")).hasMessageContaining("before any TYPE");
    assertThatThrownBy(
            () ->
                PrometheusText.parse(
                    "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n"))
        .hasMessageContaining("not cumulative");
    assertThatThrownBy(
            () ->
                PrometheusText.parse(
                    "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\nh_sum 1\n"))
        .hasMessageContaining("differs from _count");
  }
}
