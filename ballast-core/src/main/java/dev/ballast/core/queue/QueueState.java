package dev.ballast.core.queue;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a queued pipeline run, as an explicit transition table. Stores build the state
 * conditions of their SQL from this table, so a move the table does not allow cannot be written.
 *
 * <pre>
 *   queued  ──claim──▶ running ──complete──▶ succeeded
 *   waiting ──claim──▶ running ──fail(non-retryable)──▶ failed
 *   running ──reclaim (lease expired)──▶ running
 *   running ──fail(retry) / park──▶ waiting
 *   running ──fail(dead)──▶ dead ──resume──▶ queued
 * </pre>
 *
 * {@code succeeded} and {@code failed} are final; {@code dead} only leaves by an operator's resume.
 */
public enum QueueState {
  QUEUED,
  RUNNING,
  WAITING,
  SUCCEEDED,
  FAILED,
  DEAD;

  private static final Map<QueueState, Set<QueueState>> NEXT = new EnumMap<>(QueueState.class);

  static {
    NEXT.put(QUEUED, EnumSet.of(RUNNING));
    NEXT.put(RUNNING, EnumSet.of(RUNNING, WAITING, SUCCEEDED, FAILED, DEAD));
    NEXT.put(WAITING, EnumSet.of(RUNNING));
    NEXT.put(SUCCEEDED, EnumSet.noneOf(QueueState.class));
    NEXT.put(FAILED, EnumSet.noneOf(QueueState.class));
    NEXT.put(DEAD, EnumSet.of(QUEUED));
  }

  /** The states this one may move to; empty for a final state. */
  public Set<QueueState> next() {
    return Collections.unmodifiableSet(NEXT.get(this));
  }

  public boolean canMoveTo(QueueState to) {
    return NEXT.get(this).contains(to);
  }

  /** The states from which a run may move to {@code to}. */
  public static Set<QueueState> sourcesOf(QueueState to) {
    Set<QueueState> sources = EnumSet.noneOf(QueueState.class);
    NEXT.forEach(
        (from, targets) -> {
          if (targets.contains(to)) {
            sources.add(from);
          }
        });
    return Collections.unmodifiableSet(sources);
  }

  /** Every allowed (from, to) pair, for tests that must exercise them all. */
  public static Set<Map.Entry<QueueState, QueueState>> transitions() {
    Set<Map.Entry<QueueState, QueueState>> all = new LinkedHashSet<>();
    NEXT.forEach((from, targets) -> targets.forEach(to -> all.add(Map.entry(from, to))));
    return Collections.unmodifiableSet(all);
  }

  /** The name stored in the database and shown to operators, e.g. {@code queued}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException when {@code name} is not a state's {@link #wireName()}
   */
  public static QueueState parse(String name) {
    for (QueueState state : values()) {
      if (state.wireName().equals(name)) {
        return state;
      }
    }
    throw new IllegalArgumentException("unknown run state \"" + name + "\"");
  }
}
