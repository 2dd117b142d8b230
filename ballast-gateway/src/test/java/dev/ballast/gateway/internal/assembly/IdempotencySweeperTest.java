package dev.ballast.gateway.internal.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.core.spi.Store;
import dev.ballast.gateway.internal.http.Idempotency;
import dev.ballast.store.Stores;
import dev.ballast.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's sweeper deletes Idempotency-Key rows once they expire, and only then. */
class IdempotencySweeperTest {
  @TempDir Path dataDir;

  @Test
  void deletesExpiredKeysOnItsSchedule() {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    Duration ttl = Duration.ofHours(1);
    try (Store store = Stores.open("sqlite:", dataDir)) {
      Idempotency idempotency =
          new Idempotency(store.idempotency(), clock, ttl, Duration.ofMinutes(10));
      store.idempotency().claim("acme", "k", "h", "run-1", clock.instant(), ttl, Duration.ZERO);
      store.idempotency().complete("acme", "k", "run-1", 200, new byte[] {'{', '}'});

      try (IdempotencySweeper sweeper =
          new IdempotencySweeper(idempotency, Duration.ofMillis(20))) {
        clock.advance(Duration.ofMinutes(59));
        await().pollDelay(Duration.ofMillis(200)).until(() -> true);
        assertThat(store.idempotency().find("acme", "k")).isPresent();

        clock.advance(Duration.ofMinutes(2));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> store.idempotency().find("acme", "k").isEmpty());
      }
    }
  }
}
