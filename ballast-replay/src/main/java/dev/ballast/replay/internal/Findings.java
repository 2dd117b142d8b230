package dev.ballast.replay.internal;

import dev.ballast.replay.Divergence;
import java.util.ArrayList;
import java.util.List;

/** What one replay found so far: the first divergence, and what it could not compare. */
final class Findings {
  private Divergence first;
  private final List<String> notes = new ArrayList<>();
  boolean unverifiable;

  void diverged(Divergence divergence) {
    if (first == null) {
      first = divergence;
    }
  }

  Divergence first() {
    return first;
  }

  void note(String note) {
    if (!notes.contains(note)) {
      notes.add(note);
    }
  }

  String notes() {
    return notes.isEmpty() ? null : String.join("; ", notes);
  }
}
