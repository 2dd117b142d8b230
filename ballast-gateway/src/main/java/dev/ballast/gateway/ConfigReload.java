package dev.ballast.gateway;

import java.time.Instant;
import java.util.List;

/**
 * What a configuration reload did ({@link Gateway#reload}, {@code SIGHUP}, {@code POST
 * /v1/ballast/config/reload}).
 *
 * @param outcome whether the file was taken over, and if not why
 * @param previousVersion the version running before the reload
 * @param version the version running after it (the previous one unless {@link Outcome#APPLIED})
 * @param loadedAt when the running version was taken over
 * @param errors every problem of an {@link Outcome#INVALID} file, each with its path
 * @param restartNeeded the paths of settings a running node cannot take over, for {@link
 *     Outcome#RESTART_NEEDED}
 */
public record ConfigReload(
    Outcome outcome,
    String previousVersion,
    String version,
    Instant loadedAt,
    List<String> errors,
    List<String> restartNeeded) {

  public ConfigReload {
    errors = List.copyOf(errors);
    restartNeeded = List.copyOf(restartNeeded);
  }

  /** How a reload ended. */
  public enum Outcome {
    /** The new version runs: requests from now on use it, those in flight finish on theirs. */
    APPLIED("applied"),
    /** The file's content is the version already running; nothing changed. */
    UNCHANGED("unchanged"),
    /** The file is invalid; the running version is untouched. */
    INVALID("invalid"),
    /** The file changes settings only a restart takes over; nothing was applied. */
    RESTART_NEEDED("restart_needed"),
    /** The node was started from a configuration without a file to read again. */
    UNAVAILABLE("unavailable");

    private final String wireName;

    Outcome(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }
}
