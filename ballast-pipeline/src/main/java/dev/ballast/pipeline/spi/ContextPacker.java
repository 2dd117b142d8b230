package dev.ballast.pipeline.spi;

import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.model.Message;
import dev.ballast.core.state.MemoryView;
import java.util.List;

/**
 * How {@code assemble_context} stages pack a prompt into a model group's token budget, in a fixed
 * order (system prompt, memory, chunks by score, the question) and with every cut recorded
 * (docs/state.md, invariant 9). Implementations are thread-safe and deterministic.
 */
public interface ContextPacker {

  /**
   * @throws TooLarge when the system prompt and the question alone exceed the budget
   */
  Packed pack(Request request);

  /**
   * @param group the model group the prompt is for; its models decide the tokenizer
   * @param budget the tokens the prompt may take: the context window minus the reserved output
   * @param memory the conversation's memory at the pinned version, or null
   */
  record Request(
      String group,
      int budget,
      String system,
      MemoryView memory,
      List<Retriever.Hit> chunks,
      String question) {}

  /**
   * @param tokenizer e.g. {@code o200k_base}
   * @param approximate true when counts are estimated because the model's tokenizer is unknown
   */
  record Packed(
      List<Message> messages,
      String tokenizer,
      boolean approximate,
      int used,
      List<JournalEvent.ContextItem> included,
      List<JournalEvent.ContextItem> cut) {}

  /** The minimum context (system prompt and question) does not fit the budget. */
  final class TooLarge extends dev.ballast.core.BallastException {
    private final int needed;
    private final int budget;

    public TooLarge(int needed, int budget) {
      super(
          "the system prompt and the question alone need "
              + needed
              + " tokens, but the budget is "
              + budget);
      this.needed = needed;
      this.budget = budget;
    }

    public int needed() {
      return needed;
    }

    public int budget() {
      return budget;
    }
  }
}
