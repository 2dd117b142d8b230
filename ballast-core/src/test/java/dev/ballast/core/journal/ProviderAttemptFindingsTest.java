package dev.ballast.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The output-check and version-pin findings on a {@code ProviderAttempt}: written only when there
 * are any (an attempt without them reads and writes as before), read back whole, and a failed
 * attempt with a changed model names the answering model.
 */
class ProviderAttemptFindingsTest {
  private static final ProviderAttempt.Site SITE =
      new ProviderAttempt.Site(1, "a", "oai", "gpt-4o", "closed", 12.5);

  private static ProviderAttempt roundTrip(ProviderAttempt attempt) throws Exception {
    String json = Json.mapper().writeValueAsString((JournalEvent) attempt);
    return (ProviderAttempt) Json.mapper().readValue(json, JournalEvent.class);
  }

  @Test
  void anAttemptWithoutFindingsWritesNeitherField() throws Exception {
    ProviderAttempt plain =
        ProviderAttempt.failed(
            SITE, ErrorClass.SERVER_ERROR, 503, "down", Decision.GAVE_UP, null, null);
    String json = Json.mapper().writeValueAsString((JournalEvent) plain);
    assertThat(json).doesNotContain("checkFailures").doesNotContain("identityMismatch");
    ProviderAttempt read = roundTrip(plain);
    assertThat(read).isEqualTo(plain);
    assertThat(read.checkFailures()).isEmpty();
    assertThat(read.identityMismatch()).isNull();
  }

  @Test
  void findingsRoundTripAndAFailedAttemptNamesTheAnsweringModel() throws Exception {
    IdentityMismatch mismatch =
        new IdentityMismatch(
            List.of(IdentityMismatch.MODEL),
            "gpt-4o-2024-11-20",
            "fp_2",
            "gpt-4o-2024-08-06",
            List.of(),
            "fail");
    OutputCheckFailure check = new OutputCheckFailure("refusal[0]", "matches /no/", true);
    ProviderAttempt failed =
        ProviderAttempt.failed(
                SITE, ErrorClass.MODEL_CHANGED, 0, "changed", Decision.FAILOVER, "b", null)
            .withFindings(List.of(check), mismatch);
    ProviderAttempt read = roundTrip(failed);
    assertThat(read.checkFailures()).containsExactly(check);
    assertThat(read.identityMismatch()).isEqualTo(mismatch);
    assertThat(read.responseModel()).isEqualTo("gpt-4o-2024-11-20");
    assertThat(read.systemFingerprint()).isEqualTo("fp_2");
    assertThat(read.failure()).contains(ErrorClass.MODEL_CHANGED);
    assertThat(read.withoutPayloads().identityMismatch()).isEqualTo(mismatch);
  }
}
