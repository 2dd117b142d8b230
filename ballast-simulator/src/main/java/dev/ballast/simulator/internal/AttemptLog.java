package dev.ballast.simulator.internal;

import dev.ballast.simulator.Attempt;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * The attempts the simulator received, oldest first. Bounded so that a long benchmark cannot
 * exhaust memory: beyond {@link #CAPACITY} entries the oldest are dropped. Thread-safe.
 */
public final class AttemptLog {
  public static final int CAPACITY = 100_000;

  private final ArrayDeque<Attempt> attempts = new ArrayDeque<>();

  public synchronized void record(Attempt attempt) {
    if (attempts.size() == CAPACITY) {
      attempts.removeFirst();
    }
    attempts.addLast(attempt);
  }

  public synchronized List<Attempt> all() {
    return List.copyOf(attempts);
  }

  public synchronized List<Attempt> forModel(String model) {
    return attempts.stream().filter(a -> Objects.equals(a.model(), model)).toList();
  }

  public synchronized void clear() {
    attempts.clear();
  }
}
