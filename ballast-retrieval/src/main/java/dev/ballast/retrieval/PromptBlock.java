package dev.ballast.retrieval;

import java.util.ArrayList;
import java.util.List;

/**
 * One message assembled from several items (memory facts, retrieved chunks). Items are costed by
 * counting the whole rendered message with and without them, because tokens do not add up across a
 * join: BPE may merge the end of one item with the separator. The first item's cost includes the
 * header and the message framing.
 */
final class PromptBlock {
  private final TokenCounting counting;
  private final String header;
  private final String separator;
  private final List<String> parts = new ArrayList<>();
  private int cost;

  PromptBlock(TokenCounting counting, String header, String separator) {
    this.counting = counting;
    this.header = header;
    this.separator = separator;
  }

  /** The tokens {@code part} would add to this message. */
  int costOf(String part) {
    parts.add(part);
    int with = costNow();
    parts.removeLast();
    return with - cost;
  }

  void add(String part) {
    parts.add(part);
    cost = costNow();
  }

  int size() {
    return parts.size();
  }

  boolean isEmpty() {
    return parts.isEmpty();
  }

  String render() {
    return header + String.join(separator, parts);
  }

  private int costNow() {
    return parts.isEmpty() ? 0 : ContextAssembler.PER_MESSAGE + counting.count(render());
  }
}
