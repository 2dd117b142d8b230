package dev.ballast.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.FailureClassification;
import dev.ballast.core.pipeline.StageException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A webhook's answer is classified by the one failure table, as a model call's is. The rows are the
 * table {@code http_action} used to keep for itself (retry 408, 425, 429 and 5xx; nothing else), so
 * the shared table must decide exactly as it did, and count for the dependency's breaker as before:
 * a final failure not at all.
 */
class WebhookFailuresTest {

  @ParameterizedTest(name = "{0} -> retryable={1}, breaker={2}")
  @CsvSource({
    "408, true, TIMEOUT",
    "425, true, SERVER_ERROR",
    "429, true, RATE_LIMITED",
    "500, true, SERVER_ERROR",
    "502, true, SERVER_ERROR",
    "503, true, SERVER_ERROR",
    "529, true, SERVER_ERROR",
    "400, false, ",
    "401, false, ",
    "403, false, ",
    "404, false, ",
    "409, false, ",
    "413, false, ",
    "422, false, ",
    "302, false, ",
  })
  void aWebhookStatusIsRetriedAndCountedAsItAlwaysWas(
      int status, boolean retryable, ErrorClass breaker) {
    StageException thrown =
        StageException.ofDependency(
            FailureClassification.fromHttpStatus(status, null, null),
            "http_" + status,
            "webhook answered " + status,
            null);

    Failure failure = Failure.classify(thrown, "hooks", Instant.EPOCH);

    assertThat(failure.errorClass()).isEqualTo("http_" + status);
    assertThat(failure.retryable()).isEqualTo(retryable);
    assertThat(failure.breakerClass()).isEqualTo(breaker);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"TIMEOUT, timeout", "CONNECTION_REFUSED, connection_failed"})
  void aWebhookThatCannotBeReachedIsRetriedAndCountsAgainstItsBreaker(
      ErrorClass error, String name) {
    Failure failure =
        Failure.classify(
            StageException.ofDependency(error, name, "unreachable", null), "hooks", Instant.EPOCH);

    assertThat(failure.retryable()).isTrue();
    assertThat(failure.breakerClass()).isEqualTo(error);
  }
}
