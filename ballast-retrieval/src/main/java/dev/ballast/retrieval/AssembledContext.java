package dev.ballast.retrieval;

import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.model.Message;
import java.util.List;

/**
 * A packed prompt and its accounting. {@code used} is exactly {@link
 * ContextAssembler#REPLY_PRIMING} plus the sum of the included items' tokens, and never exceeds
 * {@code budget}.
 *
 * @param messages the prompt, ready to send
 * @param included every item in the prompt, in packing order (system, question, memory, chunks)
 * @param cut every item left out, with the tokens it would have taken and why
 */
public record AssembledContext(
    List<Message> messages,
    String model,
    String tokenizer,
    boolean approximate,
    int budget,
    int used,
    List<JournalEvent.ContextItem> included,
    List<JournalEvent.ContextItem> cut) {
  public AssembledContext {
    messages = List.copyOf(messages);
    included = List.copyOf(included);
    cut = List.copyOf(cut);
  }

  /** The journal event for a stage that assembled this context. */
  public JournalEvent.ContextAssembled toEvent(String stage, String routedTo) {
    return new JournalEvent.ContextAssembled(
        stage, model, tokenizer, approximate, budget, used, included, cut, routedTo);
  }
}
