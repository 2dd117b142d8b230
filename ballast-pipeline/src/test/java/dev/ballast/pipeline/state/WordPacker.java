package dev.ballast.pipeline.state;

import dev.ballast.core.journal.JournalEvent.ContextItem;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.state.MemoryView;
import dev.ballast.pipeline.spi.ContextPacker;
import dev.ballast.pipeline.spi.Retriever;
import java.util.ArrayList;
import java.util.List;

/**
 * A packer for engine tests that counts one token per word; the real one is in ballast-retrieval.
 */
final class WordPacker implements ContextPacker {

  @Override
  public Packed pack(Request r) {
    int minimum = words(r.system()) + words(r.question());
    if (minimum > r.budget()) {
      throw new TooLarge(minimum, r.budget());
    }
    int used = minimum;
    List<ContextItem> included = new ArrayList<>();
    List<ContextItem> cut = new ArrayList<>();
    StringBuilder context = new StringBuilder();
    if (r.memory() != null) {
      for (MemoryView.Turn turn : r.memory().turns()) {
        int n = words(turn.content());
        if (used + n <= r.budget()) {
          used += n;
          context.append(turn.role()).append(": ").append(turn.content()).append('\n');
          included.add(new ContextItem("memory", "v" + turn.version(), n, n, null));
        } else {
          cut.add(new ContextItem("memory", "v" + turn.version(), 0, n, "dropped_budget"));
        }
      }
    }
    for (Retriever.Hit hit : r.chunks()) {
      int n = words(hit.text());
      if (used + n <= r.budget()) {
        used += n;
        context.append(hit.text()).append('\n');
        included.add(new ContextItem("chunk", hit.chunkId(), n, n, null));
      } else {
        cut.add(new ContextItem("chunk", hit.chunkId(), 0, n, "dropped_budget"));
      }
    }
    List<Message> messages = new ArrayList<>();
    messages.add(
        Message.text(Role.SYSTEM, (r.system() == null ? "" : r.system()) + "\n" + context));
    messages.add(Message.text(Role.USER, r.question()));
    return new Packed(messages, "words", true, used, included, cut);
  }

  private static int words(String text) {
    return text == null || text.isBlank() ? 0 : text.trim().split("\\s+").length;
  }
}
