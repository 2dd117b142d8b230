package dev.ballast.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.model.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Journals written before {@link Decision} and the {@link ProviderAttempt} factories existed must
 * read the same: {@code provider-attempts-recorded.jsonl} holds events as the earlier code wrote
 * them (one answer, a failover, a move to a larger context, a give-up), and the factories must
 * write exactly those bytes again.
 */
class RecordedProviderAttemptsTest {

  private static List<String> recorded() throws IOException {
    try (InputStream in =
        RecordedProviderAttemptsTest.class.getResourceAsStream(
            "/journal/provider-attempts-recorded.jsonl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static ProviderAttempt parse(String line) throws IOException {
    return (ProviderAttempt) Json.mapper().readValue(line, JournalEvent.class);
  }

  @Test
  void recordedAttemptsReadAsTypedOutcomesAndDecisions() throws IOException {
    List<String> lines = recorded();
    ProviderAttempt answered = parse(lines.get(0));
    ProviderAttempt failover = parse(lines.get(1));
    ProviderAttempt larger = parse(lines.get(2));
    ProviderAttempt gaveUp = parse(lines.get(3));

    assertThat(answered.ok()).isTrue();
    assertThat(answered.failure()).isEmpty();
    assertThat(answered.decided(Decision.ANSWERED)).isTrue();
    assertThat(failover.failure()).contains(ErrorClass.SERVER_ERROR);
    assertThat(failover.decided(Decision.FAILOVER)).isTrue();
    assertThat(Decision.target(failover.decision())).contains("backup");
    assertThat(larger.failure()).contains(ErrorClass.CONTEXT_LENGTH);
    assertThat(Decision.of(larger.decision())).contains(Decision.LARGER_CONTEXT);
    assertThat(Decision.target(larger.decision())).contains("long-context");
    assertThat(gaveUp.decided(Decision.GAVE_UP_NO_BUDGET_OR_ROUTE)).isTrue();
    assertThat(gaveUp.decided(Decision.GAVE_UP)).isFalse();
  }

  @Test
  void theFactoriesWriteWhatWasRecorded() throws IOException {
    List<String> lines = recorded();
    ProviderAttempt answered =
        ProviderAttempt.answered(
            new ProviderAttempt.Site(1, "gpt4o", "openai", "gpt-4o", "closed", 812.5),
            143.0,
            new Usage(12, 7, 0, 0, false),
            0.0001,
            "gpt-4o-2024-08-06",
            "fp_9",
            List.of("fenced_json"),
            Payload.of("raw"),
            Payload.of("{\"x\":1}"));
    ProviderAttempt failover =
        ProviderAttempt.failed(
            new ProviderAttempt.Site(1, "primary", "sim", "sim:status=503", "closed", 12.0),
            ErrorClass.SERVER_ERROR,
            503,
            "upstream 503",
            Decision.FAILOVER,
            "backup",
            null);
    ProviderAttempt larger =
        ProviderAttempt.failed(
            new ProviderAttempt.Site(2, "backup", "sim", "sim", "half_open", 3.0),
            ErrorClass.CONTEXT_LENGTH,
            400,
            "too long",
            Decision.LARGER_CONTEXT,
            "long-context",
            null);
    ProviderAttempt gaveUp =
        ProviderAttempt.failed(
            new ProviderAttempt.Site(3, "big", "sim", "sim", null, 4.0),
            ErrorClass.RATE_LIMITED,
            429,
            "slow down",
            Decision.GAVE_UP_NO_BUDGET_OR_ROUTE,
            null,
            null);

    assertThat(List.of(answered, failover, larger, gaveUp))
        .extracting(e -> Json.mapper().writeValueAsString(e))
        .containsExactlyElementsOf(lines);
  }

  @Test
  void everyDecisionReadsBackFromItsJournaledString() {
    for (Decision d : Decision.values()) {
      assertThat(Decision.of(d.journaled(null))).contains(d);
      assertThat(Decision.of(d.journaled("x"))).contains(d);
    }
    assertThat(Decision.of("something_else")).isEmpty();
  }
}
