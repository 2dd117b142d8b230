package dev.ballast.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

  private static HttpHeaders headers(Map<String, List<String>> values) {
    return HttpHeaders.of(values, (name, value) -> true);
  }

  @Test
  void readsWholeAndFractionalSeconds() {
    assertThat(RetryAfter.parse("7", CLOCK)).isEqualTo(Duration.ofSeconds(7));
    assertThat(RetryAfter.parse("0.25", CLOCK)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void readsAnHttpDateRelativeToTheClock() {
    assertThat(RetryAfter.parse("Sat, 01 Mar 2025 12:00:30 GMT", CLOCK))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aDateInThePastMeansNoWait() {
    assertThat(RetryAfter.parse("Sat, 01 Mar 2025 11:00:00 GMT", CLOCK)).isEqualTo(Duration.ZERO);
  }

  @Test
  void garbageIsIgnored() {
    assertThat(RetryAfter.parse("soon", CLOCK)).isNull();
    assertThat(RetryAfter.parse("-3", CLOCK)).isNull();
  }

  @Test
  void prefersMillisecondsAndFallsBackToTheStandardHeader() {
    assertThat(
            RetryAfter.parse(
                headers(Map.of("retry-after-ms", List.of("120"), "retry-after", List.of("1"))),
                CLOCK))
        .isEqualTo(Duration.ofMillis(120));
    assertThat(RetryAfter.parse(headers(Map.of("retry-after", List.of("3"))), CLOCK))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(RetryAfter.parse(headers(Map.of()), CLOCK)).isNull();
  }
}
