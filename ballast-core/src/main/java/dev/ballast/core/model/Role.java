package dev.ballast.core.model;

import java.util.Locale;

/** Who wrote a message. */
public enum Role {
  SYSTEM,
  USER,
  ASSISTANT,
  TOOL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses an OpenAI role name; {@code developer} is treated as {@code system}. */
  public static Role fromWire(String name) {
    return switch (name) {
      case "system", "developer" -> SYSTEM;
      case "user" -> USER;
      case "assistant" -> ASSISTANT;
      case "tool", "function" -> TOOL;
      default -> throw new IllegalArgumentException("unknown role \"" + name + "\"");
    };
  }
}
