package dev.ballast.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when the client "sleeps", so polling tests take no real time. */
final class FakeTime implements Sleeper {
  private volatile Instant now = Instant.parse("2026-11-22T08:00:00Z");
  private final List<Duration> pauses = new CopyOnWriteArrayList<>();

  Clock clock() {
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
  }

  @Override
  public void sleep(Duration duration) {
    pauses.add(duration);
    now = now.plus(duration);
  }

  List<Duration> pauses() {
    return List.copyOf(pauses);
  }
}
