package dev.ballast.core.state;

import java.util.Map;
import java.util.TreeMap;

/**
 * The versions of state a pipeline run reads, fixed when it is submitted: every stage, on every
 * node, reads memory and collections as of these versions and never as of "now".
 *
 * @param conversation the memory key ({@link #conversationKey}) of the conversation the run reads
 *     and writes, or null
 * @param memoryVersion the conversation's version at submission (0 for a new conversation)
 * @param generations per collection the run retrieves from, its last generation at submission
 */
public record StatePins(String conversation, long memoryVersion, Map<String, Long> generations) {
  public static final StatePins NONE = new StatePins(null, 0, Map.of());

  public StatePins {
    generations =
        generations == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(generations));
  }

  /**
   * The memory key of a tenant's conversation, as {@link #conversation()} holds it. Conversation
   * ids come from clients, so two tenants may use the same one; keying memory by tenant keeps each
   * tenant's memory its own.
   */
  public static String conversationKey(String tenant, String conversation) {
    return tenant + "/" + conversation;
  }

  /** The pinned generation of {@code collection}, or null when the run did not pin it. */
  public Long generation(String collection) {
    return generations.get(collection);
  }
}
