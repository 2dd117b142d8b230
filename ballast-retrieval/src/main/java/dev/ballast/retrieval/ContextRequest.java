package dev.ballast.retrieval;

import dev.ballast.core.state.MemoryView;
import java.util.List;
import java.util.Objects;

/**
 * What to pack into one prompt.
 *
 * @param model decides the tokenizer ({@link TokenCounting#forModel})
 * @param budget the tokens the prompt may take: the context window minus the reserved output
 * @param system the system prompt, or null
 * @param memory the conversation's memory at the pinned version, or null
 * @param chunks retrieved chunks, best first
 * @param question the user's question, always last
 */
public record ContextRequest(
    String model,
    int budget,
    String system,
    MemoryView memory,
    List<SearchHit> chunks,
    String question) {
  public ContextRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(question, "question");
    if (budget <= 0) {
      throw new IllegalArgumentException("budget must be positive, but was " + budget);
    }
    chunks = chunks == null ? List.of() : List.copyOf(chunks);
  }
}
