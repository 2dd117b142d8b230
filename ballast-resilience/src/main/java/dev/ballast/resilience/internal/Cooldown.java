package dev.ballast.resilience.internal;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The end of a deployment's 429 cooldown; only ever extended, never shortened by a later 429. */
final class Cooldown {
  private final InstantSource clock;
  private final AtomicReference<Instant> until = new AtomicReference<>(Instant.MIN);

  Cooldown(InstantSource clock) {
    this.clock = clock;
  }

  void extendTo(Instant end) {
    until.accumulateAndGet(end, (a, b) -> a.isAfter(b) ? a : b);
  }

  Optional<Instant> until() {
    Instant end = until.get();
    return end.isAfter(clock.instant()) ? Optional.of(end) : Optional.empty();
  }
}
