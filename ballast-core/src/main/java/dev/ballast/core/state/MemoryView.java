package dev.ballast.core.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A conversation's memory as of one version: the fold of its mutations {@code 1..version}. Two
 * readers given the same version see the same view, on any node.
 *
 * @param turns the turns after the latest summary, in order
 * @param facts live facts by key, in the order they were first added
 * @param summary the latest summary at this version, or null
 * @param summaryThrough the version the summary covers, 0 when there is none
 */
public record MemoryView(
    String conversation,
    long version,
    List<Turn> turns,
    Map<String, String> facts,
    String summary,
    long summaryThrough) {

  /** A turn with the version that appended it. */
  public record Turn(long version, String role, String content) {}

  public MemoryView {
    turns = List.copyOf(turns);
    facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }

  /** Empty memory (version 0). */
  public static MemoryView empty(String conversation) {
    return new MemoryView(conversation, 0, List.of(), Map.of(), null, 0);
  }

  /**
   * Folds {@code entries} (versions {@code 1..n} of one conversation, in order) into the view at
   * version {@code n}.
   *
   * @throws InvalidMutationException when an entry does not apply, e.g. replaces an absent fact
   */
  public static MemoryView of(String conversation, List<MemoryEntry> entries) {
    List<Turn> turns = new ArrayList<>();
    Map<String, String> facts = new LinkedHashMap<>();
    String summary = null;
    long summaryThrough = 0;
    long version = 0;
    for (MemoryEntry entry : entries) {
      if (entry.version() != version + 1) {
        throw new IllegalArgumentException(
            "memory entries of \""
                + conversation
                + "\" must be consecutive from 1, but version "
                + entry.version()
                + " follows "
                + version);
      }
      version = entry.version();
      switch (entry.mutation()) {
        case MemoryMutation.AppendTurn t -> turns.add(new Turn(version, t.role(), t.content()));
        case MemoryMutation.AddFact f -> {
          if (facts.putIfAbsent(f.key(), f.text()) != null) {
            throw new InvalidMutationException("fact \"" + f.key() + "\" already exists");
          }
        }
        case MemoryMutation.ReplaceFact f -> {
          if (facts.replace(f.key(), f.text()) == null) {
            throw new InvalidMutationException("fact \"" + f.key() + "\" does not exist");
          }
        }
        case MemoryMutation.RetractFact f -> {
          if (facts.remove(f.key()) == null) {
            throw new InvalidMutationException("fact \"" + f.key() + "\" does not exist");
          }
        }
        case MemoryMutation.Summarize s -> {
          if (s.throughVersion() >= version) {
            throw new InvalidMutationException(
                "a summary at version "
                    + version
                    + " can only cover earlier versions, but throughVersion was "
                    + s.throughVersion());
          }
          summary = s.text();
          summaryThrough = s.throughVersion();
          long through = summaryThrough;
          turns.removeIf(turn -> turn.version() <= through);
        }
      }
    }
    return new MemoryView(conversation, version, turns, facts, summary, summaryThrough);
  }
}
