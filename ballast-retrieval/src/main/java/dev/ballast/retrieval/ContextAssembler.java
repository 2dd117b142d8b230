package dev.ballast.retrieval;

import dev.ballast.core.journal.JournalEvent.ContextItem;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.state.MemoryView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Packs a prompt into a model's token budget in a fixed order, recording every cut (docs/state.md,
 * invariant 9).
 *
 * <p>The prompt, in order: the system prompt (a system message); memory (one system message with
 * the summary and the facts); the most recent turns that fit (one message each, in their roles);
 * the retrieved chunks that fit (one system message, each chunk numbered and labelled with its
 * title and headings); the question (a user message). What gets the budget first: the system prompt
 * and the question (when these alone do not fit, {@link ContextTooLargeException}), then the
 * summary, the facts in order, the turns newest first (once one does not fit, it and every older
 * turn are dropped, so the kept turns are always the most recent), then the chunks by score (a
 * chunk that does not fit is dropped whole, and smaller ones after it may still fit). Nothing is
 * truncated; every dropped item is listed as {@code dropped_budget} with the tokens it would have
 * taken.
 *
 * <p>Counting matches the gateway's ({@code TokenCounter.countInput}): each message costs {@link
 * #PER_MESSAGE} tokens of chat framing plus its text, and the reply is primed with {@link
 * #REPLY_PRIMING} more (OpenAI's documented framing), so {@code used} is exact for OpenAI models.
 * Other models are estimated ({@link TokenCounting}). Deterministic and thread-safe.
 */
public final class ContextAssembler {
  /** Tokens of chat framing per message. */
  public static final int PER_MESSAGE = 3;

  /** Tokens with which every reply is primed. */
  public static final int REPLY_PRIMING = 3;

  static final String DROPPED = "dropped_budget";

  /**
   * @throws ContextTooLargeException when the system prompt and the question alone exceed the
   *     budget
   */
  public AssembledContext assemble(ContextRequest request) {
    TokenCounting counting = TokenCounting.forModel(request.model());
    Packing p = new Packing(request.budget());
    boolean hasSystem = request.system() != null && !request.system().isBlank();
    int system = hasSystem ? message(counting, request.system()) : 0;
    int question = message(counting, request.question());
    int needed = REPLY_PRIMING + system + question;
    if (needed > request.budget()) {
      throw new ContextTooLargeException(request.model(), needed, request.budget());
    }
    p.used = needed;
    PromptBlock memory = new PromptBlock(counting, "Conversation memory:\n", "\n");
    List<ContextItem> memoryItems = packMemoryBlock(p, memory, request.memory());
    List<MemoryView.Turn> turns = new ArrayList<>();
    List<ContextItem> turnItems = packTurns(p, counting, request.memory(), turns);
    PromptBlock context = new PromptBlock(counting, "Retrieved context:\n\n", "\n\n");
    List<ContextItem> chunkItems = packChunks(p, context, request.chunks());

    List<Message> messages = new ArrayList<>();
    List<ContextItem> included = new ArrayList<>();
    if (hasSystem) {
      messages.add(Message.text(Role.SYSTEM, request.system()));
      included.add(new ContextItem("system", null, system, system, null));
    }
    if (!memory.isEmpty()) {
      messages.add(Message.text(Role.SYSTEM, memory.render()));
    }
    included.addAll(memoryItems);
    for (MemoryView.Turn t : turns) {
      messages.add(Message.text(Role.fromWire(t.role()), t.content()));
    }
    included.addAll(turnItems);
    if (!context.isEmpty()) {
      messages.add(Message.text(Role.SYSTEM, context.render()));
    }
    included.addAll(chunkItems);
    messages.add(Message.text(Role.USER, request.question()));
    included.add(new ContextItem("question", null, question, question, null));
    return new AssembledContext(
        messages,
        request.model(),
        counting.tokenizer(),
        counting.approximate(),
        request.budget(),
        p.used,
        included,
        p.cut);
  }

  private static List<ContextItem> packMemoryBlock(
      Packing p, PromptBlock block, MemoryView memory) {
    List<ContextItem> included = new ArrayList<>();
    if (memory == null) {
      return included;
    }
    if (memory.summary() != null && !memory.summary().isBlank()) {
      String ref = "summary@" + memory.summaryThrough();
      p.offer(block, "Summary of the earlier conversation: " + memory.summary(), "memory", ref)
          .ifPresent(included::add);
    }
    for (Map.Entry<String, String> fact : memory.facts().entrySet()) {
      String text = "Fact " + fact.getKey() + ": " + fact.getValue();
      p.offer(block, text, "memory", "fact:" + fact.getKey()).ifPresent(included::add);
    }
    return included;
  }

  /** Newest first; the first turn that does not fit ends the window. Returns turns oldest first. */
  private static List<ContextItem> packTurns(
      Packing p, TokenCounting counting, MemoryView memory, List<MemoryView.Turn> kept) {
    List<ContextItem> included = new ArrayList<>();
    if (memory == null) {
      return included;
    }
    boolean full = false;
    for (MemoryView.Turn t : memory.turns().reversed()) {
      int tokens = message(counting, t.content());
      String ref = "turn@" + t.version();
      if (!full && p.used + tokens <= p.budget) {
        p.used += tokens;
        kept.addFirst(t);
        included.addFirst(new ContextItem("memory", ref, tokens, tokens, null));
      } else {
        full = true;
        p.cut.add(new ContextItem("memory", ref, 0, tokens, DROPPED));
      }
    }
    return included;
  }

  private static List<ContextItem> packChunks(Packing p, PromptBlock block, List<SearchHit> hits) {
    List<ContextItem> included = new ArrayList<>();
    for (SearchHit hit : hits) {
      String text = "[" + (block.size() + 1) + "] " + label(hit) + "\n" + hit.text();
      p.offer(block, text, "chunk", hit.chunkId()).ifPresent(included::add);
    }
    return included;
  }

  private static String label(SearchHit hit) {
    List<String> parts = new ArrayList<>();
    if (hit.title() != null && !hit.title().isBlank()) {
      parts.add(hit.title());
    }
    for (String h : hit.headings()) {
      if (!h.isBlank() && !h.equals(hit.title())) {
        parts.add(h);
      }
    }
    return parts.isEmpty() ? hit.documentId() : String.join(" > ", parts);
  }

  private static int message(TokenCounting counting, String text) {
    return PER_MESSAGE + counting.count(text);
  }

  /** The running total and the cuts of one assembly. */
  private static final class Packing {
    final int budget;
    final List<ContextItem> cut = new ArrayList<>();
    int used;

    Packing(int budget) {
      this.budget = budget;
    }

    java.util.Optional<ContextItem> offer(PromptBlock block, String text, String kind, String ref) {
      int tokens = block.costOf(text);
      if (used + tokens > budget) {
        cut.add(new ContextItem(kind, ref, 0, tokens, DROPPED));
        return java.util.Optional.empty();
      }
      block.add(text);
      used += tokens;
      return java.util.Optional.of(new ContextItem(kind, ref, tokens, tokens, null));
    }
  }
}
