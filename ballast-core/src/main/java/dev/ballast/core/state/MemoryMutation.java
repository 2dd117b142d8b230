package dev.ballast.core.state;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/**
 * One change to a conversation's memory. Mutations are facts in an append-only log: each one gets
 * the next version of its conversation and is never edited; memory at version {@code v} is the fold
 * of mutations {@code 1..v} ({@link MemoryView#of}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
  @JsonSubTypes.Type(value = MemoryMutation.AppendTurn.class, name = "append_turn"),
  @JsonSubTypes.Type(value = MemoryMutation.AddFact.class, name = "add_fact"),
  @JsonSubTypes.Type(value = MemoryMutation.ReplaceFact.class, name = "replace_fact"),
  @JsonSubTypes.Type(value = MemoryMutation.RetractFact.class, name = "retract_fact"),
  @JsonSubTypes.Type(value = MemoryMutation.Summarize.class, name = "summarize")
})
public sealed interface MemoryMutation {

  /**
   * A turn of the conversation; {@code role} is {@code user}, {@code assistant} or {@code system}.
   */
  record AppendTurn(String role, String content) implements MemoryMutation {
    public AppendTurn {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(content, "content");
    }
  }

  /** A new fact under {@code key}; refused when the key already holds a fact. */
  record AddFact(String key, String text) implements MemoryMutation {
    public AddFact {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(text, "text");
    }
  }

  /** Replaces the fact under {@code key}; refused when the key holds none. */
  record ReplaceFact(String key, String text) implements MemoryMutation {
    public ReplaceFact {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(text, "text");
    }
  }

  /** Removes the fact under {@code key}; refused when the key holds none. */
  record RetractFact(String key) implements MemoryMutation {
    public RetractFact {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * A summary derived from versions {@code 1..throughVersion}; readers show it in place of the
   * turns it covers.
   */
  record Summarize(String text, long throughVersion) implements MemoryMutation {
    public Summarize {
      Objects.requireNonNull(text, "text");
    }
  }
}
