package dev.ballast.core.config;

import java.util.Locale;

/** What a {@code ballast serve} process does: answer HTTP, execute pipeline runs, or both. */
public enum NodeRole {
  /** HTTP API only: gateway calls, pipeline submissions and reads; executes no runs. */
  GATEWAY,
  /** Executes pipeline runs from the shared queue; serves only {@code /healthz}. */
  WORKER,
  /** Both, the default. */
  BOTH;

  public boolean servesApi() {
    return this != WORKER;
  }

  public boolean runsWorkers() {
    return this != GATEWAY;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code gateway}, {@code worker} or {@code both}; null when it is none of them. */
  public static NodeRole parse(String value) {
    for (NodeRole role : values()) {
      if (role.wireName().equals(value)) {
        return role;
      }
    }
    return null;
  }
}
