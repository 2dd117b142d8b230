package dev.ballast.core.journal;

import java.util.Locale;

/** The lifecycle state of a run as derived from its journal. */
public enum RunStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** A pipeline run that exhausted its attempts; it can be resumed. */
  DEAD;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunStatus parse(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
