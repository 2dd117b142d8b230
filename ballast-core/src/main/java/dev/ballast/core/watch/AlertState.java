package dev.ballast.core.watch;

import java.util.Locale;
import java.util.Optional;

/** Where an alert is in its life: open until its series returns to baseline, then resolved. */
public enum AlertState {
  OPEN,
  RESOLVED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<AlertState> of(String wire) {
    for (AlertState s : values()) {
      if (s.wireName().equals(wire)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
